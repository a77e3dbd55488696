package io.payout.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * What the bank knows about one {@code bank_tran_id}: the first order it received under that id, where it stands,
 * and every time money left for it ({@code withdrawals}: none for a rejection, one once accepted, more only when the
 * {@code ignore_duplicate_ref} fault makes the bank execute a repeat). Immutable: every change replaces it atomically
 * in {@link Executions}.
 *
 * @param sequence unique per acceptance, so a timer scheduled before a reset never touches a newer transfer that
 *                 reuses the same id
 */
public record BankTransfer(long sequence, TransferOrder order, String status, String reason,
                           List<Withdrawal> withdrawals) {
    public static final String PROCESSING = "PROCESSING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public BankTransfer {
        withdrawals = List.copyOf(withdrawals);
    }

    public String bankTranId() {
        return order.bankTranId();
    }

    public boolean isFinal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }

    BankTransfer withStatus(String newStatus, String newReason) {
        return new BankTransfer(sequence, order, newStatus, newReason, withdrawals);
    }

    BankTransfer withWithdrawal(Withdrawal w) {
        List<Withdrawal> more = new ArrayList<>(withdrawals);
        more.add(w);
        return new BankTransfer(sequence, order, status, reason, more);
    }
}
