package io.payout.platform.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Consumer-side limits, under {@code payout.inbox}. */
@ConfigMapping(prefix = "payout.inbox")
public interface InboxConfig {
    /** Attempts per message before it is dead-lettered with its failure reason. */
    @WithDefault("5")
    int deliveryAttemptsMax();

    /** Back-off before a failed message is requeued; multiplied by the attempt number. */
    @WithDefault("200")
    long retryDelayMs();
}
