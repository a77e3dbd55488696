package io.payout.transfer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The sweeper for transfers whose bank result is late, under {@code payout.transfer.sweeper}. */
@ConfigMapping(prefix = "payout.transfer.sweeper")
public interface SweeperConfig {
    @WithDefault("true")
    boolean enabled();

    /** How often the sweeper looks. */
    @WithDefault("1000")
    long intervalMs();

    /** A DISPATCHED transfer without a result for this long becomes EXPIRED and the bank is asked. */
    @WithDefault("60000")
    long expireAfterMs();

    /** First wait before asking the bank again; doubles per attempt (with jitter) up to the maximum. */
    @WithDefault("2000")
    long inquiryBackoffInitialMs();

    @WithDefault("60000")
    long inquiryBackoffMaxMs();

    /** Transfers handled per sweep and step. */
    @WithDefault("100")
    int batchSize();
}
