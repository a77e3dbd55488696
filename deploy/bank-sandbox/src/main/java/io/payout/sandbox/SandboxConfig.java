package io.payout.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.ZoneId;

/** The sandbox bank's behaviour, under {@code payout.sandbox}. Local runs and tests only. */
@ConfigMapping(prefix = "payout.sandbox")
public interface SandboxConfig {
    /** Seeds every random decision (the fault script of a later issue): same seed, same run. */
    @WithDefault("7")
    long seed();

    /** Time from acceptance ({@code PROCESSING}) to the final result ({@code SUCCEEDED}) and its webhook. */
    @WithDefault("150")
    long settleDelayMs();

    /** Where the bank posts its signed result notifications (locally: webhook-service). */
    @WithDefault("http://localhost:8083/v1/webhooks/bank")
    URI webhookUrl();

    /**
     * Standard Webhooks signing secret ({@code whsec_<base64>}). The default is a DEV-ONLY value, the same one
     * {@code deploy/local} gives webhook-service; it protects nothing and must never be used outside a laptop.
     */
    @WithDefault("whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtMzJieXRlcyE=")
    String webhookSecret();

    /** How many times a failed webhook delivery is retried (so at most 1 + this many attempts per event). */
    @WithDefault("3")
    int webhookRetriesMax();

    /** Back-off before the first retry; doubled for each further one. */
    @WithDefault("200")
    long webhookBackoffMs();

    /** Time allowed for one webhook delivery (connect, then silence on the connection). */
    @WithDefault("2000")
    long webhookTimeoutMs();

    /** The bank's zone: an execution's value date (its statement day) is its date here. */
    @WithDefault("Asia/Seoul")
    ZoneId zone();
}
