package io.payout.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** ledger-service settings, under {@code payout.ledger}. Checked at start-up: a bad value stops the service. */
@ConfigMapping(prefix = "payout.ledger")
public interface LedgerConfig {
    /** Largest page of {@code GET /v1/accounts/{id}/entries}. */
    @WithDefault("200")
    @Positive
    @Max(10_000)
    int entriesPageSizeMax();
}
