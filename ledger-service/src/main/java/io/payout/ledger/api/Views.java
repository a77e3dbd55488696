package io.payout.ledger.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the ledger API answers (snake_case on the wire). Amounts are decimal strings in the currency's scale. */
public final class Views {
    private Views() {
    }

    public record AccountView(String id, String currency, String owner, String available, String held, Instant asOf) {
    }

    public record BalanceView(String id, String currency, String available, String held, Instant asOf) {
    }

    /** {@code id} is the deposit's posting. */
    public record DepositView(UUID id, String accountId, String reference, String amount, String currency,
                              Instant createdAt) {
    }

    /** One entry with its posting: negative amounts left the account. */
    public record EntryView(long id, UUID postingId, String kind, UUID transferId, String reference,
                            String externalRef, String amount, String currency, Instant createdAt) {
    }

    public record EntriesPage(String accountId, int page, int size, List<EntryView> items) {
    }

    /** {@code sum} must be "0" in every currency: each posting sums to zero. */
    public record CurrencyTotal(String currency, String sum, long entries) {
    }

    public record Totals(Instant asOf, List<CurrencyTotal> totals) {
    }
}
