package io.payout.webhook.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.platform.http.RequestRefused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code payout_webhooks_rejected{reason}}: webhooks refused and not stored. A rise in signature or timestamp
 * refusals means a rotated secret, a skewed clock or someone probing; a rise in body refusals means a bank-side change.
 */
@ApplicationScoped
public class RejectionMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> byCode = new ConcurrentHashMap<>();

    public RejectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front so dashboards show 0 rather than nothing before the first refusal
        WebhookProblems.codes().forEach(this::counter);
    }

    /** {@code code} is always one of our own problem codes (a small fixed set), never anything the sender wrote. */
    void rejected(String code) {
        counter(code).increment();
    }

    /** A webhook the platform's request limits refused before {@link BankWebhookResource} saw it (e.g. its size). */
    void refusedEarly(@Observes RequestRefused refused) {
        if (refused.path().startsWith(BankWebhookResource.PATH)) {
            rejected(refused.type().code());
        }
    }

    private Counter counter(String code) {
        return byCode.computeIfAbsent(code, c -> Counter.builder("payout_webhooks_rejected")
                .description("Webhooks refused and not stored, by reason (the problem code)")
                .tag("reason", c.toLowerCase(Locale.ROOT))
                .register(registry));
    }
}
