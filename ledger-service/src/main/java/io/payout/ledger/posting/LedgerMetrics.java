package io.payout.ledger.posting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;

/**
 * Ledger counters. Registered up front, so every kind and reason is on {@code /q/metrics} at zero before it first
 * happens (a rate over a series that does not exist yet shows nothing rather than 0).
 */
@ApplicationScoped
public class LedgerMetrics {
    private final MeterRegistry registry;
    private final Map<PostingKind, Counter> postings = new EnumMap<>(PostingKind.class);
    private final Map<HoldRejection, Counter> rejections = new EnumMap<>(HoldRejection.class);

    public LedgerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (PostingKind kind : PostingKind.values()) {
            postings.put(kind, Counter.builder("payout_ledger_postings")
                    .description("Postings written, by kind").tag("kind", kind.name()).register(registry));
        }
        for (HoldRejection reason : HoldRejection.values()) {
            rejections.put(reason, Counter.builder("payout_ledger_hold_rejections")
                    .description("Holds refused, by reason").tag("reason", reason.name()).register(registry));
        }
    }

    public void posted(PostingKind kind) {
        postings.get(kind).increment();
    }

    public void holdRejected(HoldRejection reason) {
        rejections.get(reason).increment();
    }

    /** A command repeated under a new message id (the inbox blocks same-id repeats) that changed nothing. */
    public void repeated(String what) {
        registry.counter("payout_duplicates_blocked", "layer", "ledger", "outcome", what).increment();
    }

    /**
     * A settle after a release or the reverse: refused, nothing written. A settle refused after a release means
     * the bank paid money we gave back to the customer — ops must look at it.
     */
    public void refused(PostingKind kind, PostingKind because) {
        registry.counter("payout_ledger_postings_refused", "kind", kind.name(), "conflicting", because.name())
                .increment();
    }
}
