package io.payout.sandbox;

/**
 * The bank's truth about one {@code bank_tran_id}: how many times money actually left for it ({@code count}; 0 for
 * a rejected order, 2 or more only under {@code ignore_duplicate_ref}). "No double payout" is checked against
 * {@code count}. {@code amount} is the first order's, in minor units.
 */
public record Execution(String bankTranId, int count, long amount, String currency, String status) {
    static Execution of(BankTransfer t) {
        return new Execution(t.bankTranId(), t.withdrawals().size(), t.order().amount(), t.order().currency(),
                t.status());
    }
}
