package io.payout.transfer.saga;

import java.util.UUID;

/**
 * Saga step 1, the {@code ledger.hold} command: reserve the amount on the source account. The ledger decides
 * whether the account exists, belongs to {@code clientId}, holds this currency and has the funds.
 */
public record LedgerHold(UUID transferId, String clientId, String sourceAccount, long amountMinor, String currency) {
    public static final String TYPE = "ledger.hold";
}
