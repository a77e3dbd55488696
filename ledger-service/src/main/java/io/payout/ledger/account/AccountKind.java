package io.payout.ledger.account;

/** What an account is for (SPEC §4). Stored as text, checked by the {@code accounts_kind_known} constraint. */
public enum AccountKind {
    /** A customer's account; {@code owner} is the client allowed to move money out of it. */
    CUSTOMER,
    /** Money reserved for transfers in flight: hold credits it, settle and release debit it. */
    HOLDS,
    /** Money sent to other banks. */
    BANK_CLEARING,
    /** Money coming in (deposits for tests and ops). */
    FUNDING
}
