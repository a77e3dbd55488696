package io.payout.bankadapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.net.URI;

/** How to reach the bank, under {@code payout.bank}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.bank")
public interface BankConfig {
    /** The bank's open-banking API (locally: the bank sandbox). */
    @WithDefault("http://localhost:8090")
    URI baseUrl();

    /**
     * Our 10-character institution code, the first part of every {@code external_ref} (the bank assigns it).
     * Changing it changes every ref: never change it while transfers are in flight.
     */
    @WithDefault("T991234560")
    @Pattern(regexp = "[A-Z0-9]{10}")
    String institutionCode();

    /**
     * Time allowed for one attempt of a bank call: about the bank's p90 latency plus a margin
     * ({@code payout_bank_call_latency}). Includes the time an attempt waits in the bulkhead's queue.
     */
    @WithDefault("2000")
    @Positive
    @Max(60_000)
    int timeoutMs();

    // --- retries (SmallRye Fault Tolerance, see BankClient): only answers that are no answer, same ref every time ---

    /**
     * Retries after the first attempt (so at most {@code 1 + retries-max} calls per dispatch or inquiry). A transfer
     * is retried only on timeout, broken connection, 5xx and 429, never on an answer: the retry carries the same
     * {@code bank_tran_id}, so a retry after an executed-but-unanswered call gets DUPLICATE and an inquiry.
     */
    @WithDefault("2")
    @PositiveOrZero
    @Max(3)
    int retriesMax();

    /** Back-off before the first retry; doubles for each next one (exponential back-off), up to the maximum. */
    @WithDefault("200")
    @PositiveOrZero
    @Max(60_000)
    long retryDelayMs();

    @WithDefault("2000")
    @Positive
    @Max(60_000)
    long retryMaxDelayMs();

    /** Random jitter added to or taken from each back-off, so that many callers do not retry in lock-step. */
    @WithDefault("100")
    @PositiveOrZero
    @Max(60_000)
    long retryJitterMs();

    // --- circuit breaker: one for the bank, over every call (transfer, inquiry, statement) ---

    /** Share of failed calls (no usable answer) among the last {@code breaker-request-volume} that opens the breaker. */
    @WithDefault("0.5")
    @DecimalMin("0.01")
    @DecimalMax("1.0")
    double breakerFailureRatio();

    /** Size of the breaker's rolling window, in calls: it cannot open before that many calls were made. */
    @WithDefault("20")
    @Positive
    @Max(10_000)
    int breakerRequestVolume();

    /** How long the breaker stays open before it lets trial calls through (half-open). */
    @WithDefault("5000")
    @Positive
    @Max(600_000)
    long breakerDelayMs();

    /** Trial calls that must succeed, while half-open, to close the breaker (also how many may run at once). */
    @WithDefault("2")
    @Positive
    @Max(100)
    int breakerSuccessThreshold();

    // --- bulkhead: bank calls at once, per instance ---

    /** Bank calls in progress at once, per instance; beyond it (and the queue) a call is refused, not made. */
    @WithDefault("16")
    @Positive
    @Max(1_000)
    int bulkheadMax();

    /** Calls that may queue for a free slot (SmallRye requires at least 1); queued time counts in timeout-ms. */
    @WithDefault("1")
    @Positive
    @Max(1_000)
    int bulkheadQueue();

    // --- dispatches that could not reach the bank (breaker open, bulkhead full): WAITING rows, retried by a loop ---

    /**
     * First wait of a dispatch the breaker or the bulkhead refused: about the breaker's delay, since trying earlier
     * is refused again. Doubles for each further refusal (plus up to 50% jitter), up to the maximum.
     */
    @WithDefault("5000")
    @Positive
    @Max(3_600_000)
    long waitDelayMs();

    @WithDefault("60000")
    @Positive
    @Max(3_600_000)
    long waitMaxDelayMs();

    /** How often each instance looks for WAITING dispatches whose time has come (and refreshes the waiting gauge). */
    @WithDefault("1000")
    @Positive
    @Max(600_000)
    long waitPollIntervalMs();

    /** WAITING dispatches one instance claims per look. */
    @WithDefault("20")
    @Positive
    @Max(1_000)
    int waitBatchSize();

    /** Of those, how many are sent to the bank at once (keep it under bulkhead-max, which messages share). */
    @WithDefault("4")
    @Positive
    @Max(100)
    int waitConcurrency();

    /**
     * How long after our last call to the bank a "not found" inquiry answer still means "maybe in flight" rather
     * than "never executed". Only after it may NOT_FOUND fail a transfer: a request we gave up on can still reach
     * the bank, and failing the transfer releases the customer's hold. Never shorter, in effect, than the longest
     * bank call with its retries ({@code timeout-ms} × (1 + {@code retries-max}) + back-offs): a smaller value is
     * raised to that (with a warning at start-up).
     */
    @WithDefault("30000")
    @PositiveOrZero
    @Max(86_400_000)
    long inFlightGraceMs();

    /**
     * The largest page of {@code GET /v1/bank-statements} (lines), passed to the bank as is: what one request holds in
     * memory, however long the day. Keep it within the bank's own page limit (the sandbox's is 5000).
     */
    @WithDefault("5000")
    @Positive
    @Max(100_000)
    int statementPageSizeMax();

    /**
     * How many calls a dispatch gets while the bank keeps having no trace of it (NOT_FOUND after the grace): it is
     * sent again with the same ref (5xx/429 bursts, timeouts before the bank took it) until this many calls, and only
     * then reported FAILED NOT_FOUND_AT_BANK. The hold stays in place meanwhile; nothing can be paid twice.
     */
    @WithDefault("4")
    @Positive
    @Max(20)
    int callsMax();
}
