package io.payout.bankadapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import java.net.URI;

/** How to reach the bank, under {@code payout.bank}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.bank")
public interface BankConfig {
    /** The bank's open-banking API (locally: the bank sandbox). */
    @WithDefault("http://localhost:8090")
    URI baseUrl();

    /** Time allowed for one bank call: about the bank's p90 latency plus a margin. */
    @WithDefault("2000")
    @Positive
    @Max(60_000)
    int timeoutMs();
}
