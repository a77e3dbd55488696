package io.payout.webhook.event;

/**
 * The {@code webhook.bank-result} event forwarded to bank-adapter (docs/reference/messages.md): the bank's claim as
 * received, tagged with the {@code event_id} it was deduplicated on. It is a notification, not proof: a FAILED from a
 * webhook alone is confirmed by an inquiry before anyone acts on it.
 */
public record WebhookBankResult(String eventId, String bankTranId, String status, Long amount, String currency,
                                String reason) {
    public static final String TYPE = "webhook.bank-result";

    static WebhookBankResult of(String eventId, BankResult r) {
        return new WebhookBankResult(eventId, r.bankTranId(), r.status().name(), r.amount(), r.currency(), r.reason());
    }
}
