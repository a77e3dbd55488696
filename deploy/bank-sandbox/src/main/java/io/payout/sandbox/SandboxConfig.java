package io.payout.sandbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.ZoneId;

/** The sandbox bank's behaviour, under {@code payout.sandbox}. Local runs and tests only. */
@ConfigMapping(prefix = "payout.sandbox")
public interface SandboxConfig {
    /** The seed of the fault dice when a script gives none (and after {@code DELETE /sandbox/faults}). */
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

    /**
     * How long a {@code timeout} fault without a value holds the answer: longer than any sane client timeout, so the
     * caller gives up while the transfer it asked for is executed. At most 120000.
     */
    @WithDefault("10000")
    long timeoutFaultMs();

    /** The Retry-After (seconds) of an {@code error_429} fault without a value. At most 120. */
    @WithDefault("1")
    long faultRetryAfterSeconds();

    /**
     * How long a {@code webhook_reorder} fault without a value holds a webhook when no later result comes to overtake
     * it: the bound that keeps a lone held webhook from never arriving. 1 to 120000.
     */
    @WithDefault("2000")
    long webhookReorderHoldMs();

    /** How long after the real webhook a {@code webhook_contradict} fault without a value sends the opposite one. */
    @WithDefault("300")
    long webhookContradictDelayMs();

    /** Lines per statement page when the caller gives no {@code size}; 1 to statement-page-size-max. */
    @WithDefault("1000")
    int statementPageSize();

    /** The largest {@code size} of a statement page (larger is a 400); at most 100000: a page is built in memory. */
    @WithDefault("5000")
    int statementPageSizeMax();

    /** The bank's zone: an execution's value date (its statement day) is its date here. */
    @WithDefault("Asia/Seoul")
    ZoneId zone();
}
