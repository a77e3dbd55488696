package io.payout.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;

import java.util.Set;

/** ledger-service settings, under {@code payout.ledger}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.ledger")
public interface LedgerConfig {
    /** Largest page of {@code GET /v1/accounts/{id}/entries}. */
    @WithDefault("200")
    @Positive
    @Max(10_000)
    int entriesPageSizeMax();

    /**
     * Currencies accounts may be opened in (ISO 4217). A well-formed ISO code missing here answers 422; the system
     * accounts of a currency are created with its first customer account. Checked at start-up ({@link StartupLog}).
     */
    @WithDefault("KRW,USD")
    @NotEmpty
    Set<String> currencies();

    /** Largest accepted POST body; a larger one answers 413 problem+json. */
    @WithDefault("16384")
    @Positive
    int bodySizeMaxBytes();
}
