package io.payout.bankadapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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

    /** Time allowed for one bank call: about the bank's p90 latency plus a margin ({@code payout_bank_call_latency}). */
    @WithDefault("2000")
    @Positive
    @Max(60_000)
    int timeoutMs();

    /**
     * How long after our last call to the bank a "not found" inquiry answer still means "maybe in flight" rather
     * than "never executed". Only after it may NOT_FOUND fail a transfer: a request we gave up on can still reach
     * the bank, and failing the transfer releases the customer's hold.
     */
    @WithDefault("30000")
    @PositiveOrZero
    @Max(86_400_000)
    long inFlightGraceMs();
}
