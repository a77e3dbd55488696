package io.payout.sandbox;

/**
 * The bank's truth about one {@code bank_tran_id}: how many times money actually left for it.
 * "No double payout" is checked against {@code count}.
 */
public record Execution(String bankTranId, int count, String amount, String currency, String status) {
}
