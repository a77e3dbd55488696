package io.payout.sandbox;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What the bank knows about one {@code bank_tran_id}: the first order it received under that id, where it stands,
 * and how many times money left for it ({@code withdrawals}: 0 for a rejection, 1 once accepted; more only if a
 * future fault makes the bank ignore duplicates). Immutable: every change replaces it atomically in
 * {@link Executions}.
 *
 * @param sequence  unique per acceptance, so a timer scheduled before a reset never touches a newer transfer
 *                  that reuses the same id
 * @param executedAt when the money left (acceptance); null when it never did
 * @param valueDate  the statement day of the withdrawal, in the bank's zone; null when it never left
 */
public record BankTransfer(long sequence, TransferOrder order, String status, String reason, int withdrawals,
                           Instant executedAt, LocalDate valueDate) {
    public static final String PROCESSING = "PROCESSING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public String bankTranId() {
        return order.bankTranId();
    }

    public boolean isFinal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    BankTransfer withStatus(String newStatus, String newReason) {
        return new BankTransfer(sequence, order, newStatus, newReason, withdrawals, executedAt, valueDate);
    }
}
