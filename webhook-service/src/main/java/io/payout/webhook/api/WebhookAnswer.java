package io.payout.webhook.api;

import io.payout.webhook.event.StoreOutcome;

/**
 * The 200 answer to the bank. {@code duplicate}: this event id was already stored, so nothing new happened (the bank
 * may stop retrying either way). {@code forwarded}: this delivery wrote the result onward to bank-adapter.
 */
public record WebhookAnswer(String eventId, boolean duplicate, boolean forwarded) {
    static WebhookAnswer of(StoreOutcome o) {
        return new WebhookAnswer(o.eventId(), o.duplicate(), o.forwarded());
    }
}
