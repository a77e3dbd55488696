package io.payout.webhook.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counters of stored webhooks. Duplicates share {@code payout_duplicates_blocked} with the other layers (SPEC §9), so
 * one query shows every place a duplicate was absorbed. Tags come from fixed sets: nothing a sender writes is a tag.
 */
@ApplicationScoped
public class WebhookMetrics {
    private static final String DUPLICATES = "payout_duplicates_blocked";
    private static final String DUPLICATES_HELP = "Duplicate requests absorbed without a second effect, by layer";

    private final Counter duplicate;
    private final Counter idReused;
    private final Counter forwarded;
    private final Counter notForwarded;

    public WebhookMetrics(MeterRegistry registry) {
        this.duplicate = Counter.builder(DUPLICATES).description(DUPLICATES_HELP)
                .tag("layer", "webhook").tag("outcome", "duplicate").register(registry);
        // same webhook-id, different body: still stored once and forwarded once, but worth a look (a bank bug)
        this.idReused = Counter.builder(DUPLICATES).description(DUPLICATES_HELP)
                .tag("layer", "webhook").tag("outcome", "id_reused").register(registry);
        this.forwarded = stored(registry, "forwarded");
        this.notForwarded = stored(registry, "not_forwarded");
    }

    private static Counter stored(MeterRegistry registry, String outcome) {
        return Counter.builder("payout_webhooks_stored")
                .description("Webhooks stored for the first time: forwarded, or (an event type we do not act on) kept")
                .tag("outcome", outcome).register(registry);
    }

    void duplicate() {
        duplicate.increment();
    }

    void idReused() {
        idReused.increment();
    }

    void stored(boolean wasForwarded) {
        (wasForwarded ? forwarded : notForwarded).increment();
    }
}
