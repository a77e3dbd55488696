package io.payout.ledger.posting;

/**
 * Why a hold is refused, in the order the checks run; the names are the {@code reason} of
 * {@code ledger.hold-rejected} (docs/reference/messages.md) and the transfer's {@code failure_reason}.
 */
public enum HoldRejection {
    /** No customer account with this id (system accounts count as unknown). */
    ACCOUNT_NOT_FOUND,
    /** The account's owner is not the transfer's client. */
    ACCOUNT_NOT_OWNED,
    /** The account holds another currency. */
    CURRENCY_MISMATCH,
    /** The available balance is smaller than the amount. */
    INSUFFICIENT_FUNDS
}
