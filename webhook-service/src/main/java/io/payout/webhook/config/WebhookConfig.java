package io.payout.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;

import java.util.List;

/** webhook-service settings, under {@code payout.webhook}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.webhook")
public interface WebhookConfig {
    /** The Standard Webhooks library refuses timestamps more than 5 minutes off, whatever we configure. */
    long LIBRARY_TOLERANCE_MS = 300_000;

    /** Largest accepted webhook body; the platform's HTTP hard cap (1 MiB) stays above it. */
    @WithDefault("65536")
    @Positive
    @Max(1_048_576)
    int bodySizeMaxBytes();

    /**
     * How far {@code webhook-timestamp} may be from our clock, either way, before the webhook is refused as a replay
     * (or a badly skewed sender). It can only tighten the 5 minutes that the Standard Webhooks library enforces on its
     * own (a fixed constant there), so a larger value would be a lie and is refused at start-up.
     */
    @WithDefault("300000")
    @Positive
    @Max(LIBRARY_TOLERANCE_MS)
    long toleranceMs();

    /** The largest page of {@code GET /v1/webhook-events} (events); larger is a 400. */
    @WithDefault("200")
    @Positive
    @Max(1_000)
    int eventsPageSizeMax();

    /**
     * The signing secrets accepted at once ({@code whsec_<base64>}, 24-64 key bytes each), so a secret can be rotated
     * without a window where the bank's webhooks bounce: add the new one, let the bank switch, drop the old one.
     * There is no default in code: production must supply them ({@code PAYOUT_WEBHOOK_SECRETS}, comma-separated).
     */
    @NotEmpty
    List<String> secrets();
}
