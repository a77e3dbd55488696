package io.payout.transfer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.ZoneId;
import java.util.Map;

/** transfer-service limits and rules, under {@code payout.transfer}. */
@ConfigMapping(prefix = "payout.transfer")
public interface TransferConfig {
    /** Supported currencies (ISO 4217 code → limits). A well-formed ISO code missing here answers 422. */
    Map<String, CurrencyLimits> currencies();

    /** Longest memo, in Unicode code points. */
    @WithDefault("140")
    int memoLengthMax();

    /** Largest accepted POST body; a larger one answers 413 problem+json. */
    @WithDefault("16384")
    int bodySizeMaxBytes();

    /** Largest page of any list endpoint. */
    @WithDefault("200")
    int pageSizeMax();

    /** The value date of a transfer is "today" in the bank's zone at acceptance. */
    @WithDefault("Asia/Seoul")
    ZoneId valueDateZone();

    /** How often {@code payout_transfers{state}} and {@code payout_transfers_oldest_seconds{state}} are re-read. */
    @WithDefault("5000")
    long gaugeIntervalMs();

    interface CurrencyLimits {
        /** Largest amount of one transfer, in minor units of the currency. */
        long amountMaxMinor();
    }
}
