package io.payout.transfer.state;

/** What can happen to a transfer; the {@link TransferStateMachine} table says what each one does. */
public enum TransferEvent {
    /** The ledger placed the hold. */
    HOLD_PLACED,
    /** The ledger refused the hold (unknown/not owned account, currency mismatch, insufficient funds). */
    HOLD_REJECTED,
    /** The bank was called: it accepted, or the outcome is unknown. */
    BANK_DISPATCHED,
    /** The bank says the transfer succeeded (synchronous answer, inquiry, or webhook). */
    BANK_SUCCEEDED,
    /** The bank says it failed: a definitive synchronous rejection, or an inquiry answer (webhooks alone never). */
    BANK_FAILED,
    /** No result within the threshold (the sweeper). */
    NO_RESULT_IN_TIME
}
