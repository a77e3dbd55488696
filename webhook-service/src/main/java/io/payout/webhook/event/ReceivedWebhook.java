package io.payout.webhook.event;

import java.time.Instant;
import java.util.Map;

/**
 * A verified webhook, ready to be stored: its dedupe key, the audit headers, the body exactly as signed, and the
 * bank result to forward ({@code null} for an event type we store but do not act on).
 */
public record ReceivedWebhook(String eventId, Instant receivedAt, Map<String, String> headers, String body,
                              String eventType, BankResult result) {
}
