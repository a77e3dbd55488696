package io.payout.webhook.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** webhook-service settings, under {@code payout.webhook}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.webhook")
public interface WebhookConfig {
    /** Largest accepted webhook body; the platform's HTTP hard cap (1 MiB) stays above it. */
    @WithDefault("65536")
    @Positive
    @Max(1_048_576)
    int bodySizeMaxBytes();
}
