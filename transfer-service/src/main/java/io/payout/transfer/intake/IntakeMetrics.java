package io.payout.transfer.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Intake counters: accepted transfers, and duplicates blocked at the ingress layer. */
@ApplicationScoped
public class IntakeMetrics {
    private final MeterRegistry registry;
    private final Counter replayed;
    private final Counter keyReused;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.replayed = Counter.builder("payout_duplicates_blocked")
                .description("Duplicate requests absorbed without a second effect, by layer")
                .tag("layer", "ingress").tag("outcome", "replayed").register(registry);
        this.keyReused = Counter.builder("payout_duplicates_blocked")
                .description("Duplicate requests absorbed without a second effect, by layer")
                .tag("layer", "ingress").tag("outcome", "key_reused").register(registry);
    }

    void accepted(String currency) {
        registry.counter("payout_transfers_accepted", "currency", currency).increment();
    }

    void replayed() {
        replayed.increment();
    }

    void keyReused() {
        keyReused.increment();
    }
}
