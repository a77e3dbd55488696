package io.payout.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The outbox relay's limits; every service uses the same keys under {@code payout.outbox}. */
@ConfigMapping(prefix = "payout.outbox")
public interface OutboxConfig {
    /** Off only for tests that drive the relay by hand. */
    @WithDefault("true")
    boolean relayEnabled();

    /** Rows claimed and published per transaction. */
    @WithDefault("100")
    int batchSize();

    /** Fallback poll: LISTEN/NOTIFY wakes the relay at once, but notifications are not durable. */
    @WithDefault("1000")
    long pollIntervalMs();

    /** How long one publish may wait for the broker's confirm before the batch is rolled back and retried. */
    @WithDefault("5000")
    long publishTimeoutMs();

    /** Delay before re-subscribing to NOTIFY after the listening connection drops. */
    @WithDefault("1000")
    long listenReconnectMs();

    /** The NOTIFY channel the outbox insert trigger signals (see each service's V1 migration). */
    @WithDefault("outbox")
    String notifyChannel();

    /** How often {@code payout_outbox_lag_seconds} and {@code payout_outbox_backlog} are re-read from the table. */
    @WithDefault("5000")
    long gaugeIntervalMs();
}
