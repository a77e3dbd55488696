package io.payout.webhook.event;

/**
 * The bank's {@code transfer.result} notification, validated: which transfer ({@code bankTranId}, our
 * {@code external_ref}) and what the bank says became of it. Amount and currency are optional because they are
 * a cross-check for the bank adapter, not what identifies the transfer.
 */
public record BankResult(String bankTranId, Status status, Long amount, String currency, String reason) {
    public enum Status { SUCCEEDED, FAILED }
}
