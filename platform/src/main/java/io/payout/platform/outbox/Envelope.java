package io.payout.platform.outbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * The body of every message on the broker. The same fields are also AMQP properties/headers
 * (message-id, type, timestamp, {@code occurred_at}, {@code traceparent}) so a dead-lettered body is self-describing.
 * {@code messageId} is the outbox row id: a redelivered or republished message keeps it, and inboxes dedupe on it.
 */
public record Envelope(
        @JsonProperty("message_id") UUID messageId,
        String type,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("aggregate_id") String aggregateId,
        JsonNode payload) {
}
