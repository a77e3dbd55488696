package io.payout.platform.deadletter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Dead letters kept for ops and their replay, under {@code payout.dead-letters}; the same keys in every service. */
@ConfigMapping(prefix = "payout.dead-letters")
public interface DeadLetterConfig {
    /** The largest page of {@code GET /v1/ops/dead-letters}. */
    @WithDefault("200")
    int pageSizeMax();

    /** How long a replay waits for the broker's publisher confirm before answering 503 (nothing changed). */
    @WithDefault("5000")
    long replayConfirmTimeoutMs();

    /** Back-off before a dead letter that could not be stored is requeued on its dead-letter queue. */
    @WithDefault("1000")
    long keepRetryDelayMs();

    /** The largest replay request body. */
    @WithDefault("4096")
    int bodySizeMaxBytes();

    /** How often {@code payout_dead_letters_open} is re-read from {@code dead_letters}. */
    @WithDefault("5000")
    long gaugeIntervalMs();
}
