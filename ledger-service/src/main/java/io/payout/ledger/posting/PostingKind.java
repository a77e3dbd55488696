package io.payout.ledger.posting;

/** What a posting records (SPEC §4). Stored as text, checked by {@code postings_kind_known}. */
public enum PostingKind {
    /** customer −amount, holds +amount: the transfer's money is reserved. */
    HOLD,
    /** holds −amount, bank-clearing +amount: the money left for the other bank. */
    SETTLE,
    /** holds −amount, customer +amount: the transfer failed, the money is back. */
    RELEASE,
    /** funding −amount, customer +amount: money came in (ops, tests). */
    DEPOSIT
}
