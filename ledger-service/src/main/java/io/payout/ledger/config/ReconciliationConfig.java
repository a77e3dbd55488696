package io.payout.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Daily reconciliation against the bank's statement (SPEC §4), under {@code payout.ledger.reconciliation}. Checked at
 * start-up: a bad value stops the service.
 */
@ConfigMapping(prefix = "payout.ledger.reconciliation")
public interface ReconciliationConfig {
    /**
     * The zone value dates are days in: "today" (no future dates), "yesterday" for the schedule, and the day of a
     * settle that carries no value date. Must be transfer-service's {@code value-date-zone}.
     */
    @WithDefault("Asia/Seoul")
    ZoneId zone();

    /** bank-adapter, which serves the bank's statement page by page. */
    @WithDefault("http://localhost:8082")
    @NotBlank
    String bankAdapterUrl();

    /** Connect and read timeout of one statement page request. */
    @WithDefault("30000")
    @Positive
    int bankAdapterTimeoutMs();

    /** Statement lines asked for per page; bank-adapter accepts at most 5000. Memory per run is bounded by it. */
    @WithDefault("1000")
    @Positive
    @Max(5000)
    int pageSize();

    /** A statement with more pages is refused (the run FAILS) rather than read forever. */
    @WithDefault("10000")
    @Positive
    int pagesMax();

    /** Mismatches embedded in a report; all of them are on {@code GET /v1/reconciliations/{id}/mismatches}. */
    @WithDefault("1000")
    @PositiveOrZero
    int mismatchesListedMax();

    /** Largest page of the run list and of a run's mismatches. */
    @WithDefault("200")
    @Positive
    @Max(10_000)
    int listPageSizeMax();

    /** Longest {@code reason} of a manual run, in characters. */
    @WithDefault("500")
    @Positive
    int reasonLengthMax();

    /**
     * A RUNNING run whose heartbeat (renewed with every statement page) is older than this has lost its runner: a
     * scheduled date may then be taken over by another replica.
     */
    @WithDefault("600000")
    @Positive
    long leaseMs();

    Token token();

    Schedule schedule();

    /** The service token the ledger signs for bank-adapter (RS256). */
    interface Token {
        /**
         * PEM (PKCS#8) private key, a file path or {@code classpath:} location. Without one no run can fetch the
         * statement: each run FAILS saying so (the start-up log warns).
         */
        Optional<String> keyLocation();

        /** {@code iss}: the issuer bank-adapter verifies (the one every service verifies). */
        @NotBlank
        String issuer();

        /** {@code aud}: the audience bank-adapter verifies ({@code mp.jwt.verify.audiences}). */
        @NotBlank
        String audience();

        /**
         * {@code kid} of the signing key: the id its public half is published under in the JWKS bank-adapter verifies
         * against (docs/operating/README.md "Keys and rate limits").
         */
        @NotBlank
        String keyId();

        /** Lifetime of one token: short, since each run signs a fresh one. */
        @WithDefault("60")
        @Positive
        int lifetimeS();
    }

    /** The daily run of the previous value date. */
    interface Schedule {
        @WithDefault("true")
        boolean enabled();

        /** From this local time (in {@link #zone()}) on, yesterday's run is due. */
        @WithDefault("06:00")
        LocalTime runAt();

        /** How often each replica checks whether a run is due (claims make one replica run it). */
        @WithDefault("60000")
        @Positive
        long checkIntervalMs();

        /** Runs of one date at most (the first and its retries or takeovers); then ops must run it by hand. */
        @WithDefault("5")
        @Min(1)
        int attemptsMax();

        /** A FAILED scheduled run is retried by a tick at least this long after it failed. */
        @WithDefault("900000")
        @PositiveOrZero
        long retryDelayMs();
    }
}
