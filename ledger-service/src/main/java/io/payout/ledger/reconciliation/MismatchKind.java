package io.payout.ledger.reconciliation;

/**
 * What a reconciliation can find (SPEC §4). Each ref gets at most one, the first that applies in {@link #precedence}
 * order; the constants are declared in the SPEC's order, which is also the order of {@code mismatch_counts}.
 */
public enum MismatchKind {
    /** The bank paid (a line on the statement) and the ledger has no settle for the ref, of any date. */
    MISSING_IN_LEDGER(2, "missing_in_ledger"),
    /** The ledger settled on this value date and the day's statement has no line with the ref. */
    MISSING_AT_BANK(4, "missing_at_bank"),
    /** One line and a settle for the ref, but amount or currency differ. */
    AMOUNT_MISMATCH(3, "amount_mismatch"),
    /** Two or more lines with one ref: the bank withdrew more than once. */
    DUPLICATE_AT_BANK(1, "duplicate_at_bank");

    /** 1 = checked first; also the order mismatches are listed in. */
    public final int precedence;
    /** The {@code reconciliations} column holding the count. */
    final String column;

    MismatchKind(int precedence, String column) {
        this.precedence = precedence;
        this.column = column;
    }
}
