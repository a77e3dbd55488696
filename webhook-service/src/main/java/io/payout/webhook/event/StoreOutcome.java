package io.payout.webhook.event;

/**
 * What storing a webhook did: {@code duplicate} when the event id was already stored (nothing written, nothing
 * forwarded); {@code forwarded} when this call wrote the outgoing message.
 */
public record StoreOutcome(String eventId, boolean duplicate, boolean forwarded) {
}
