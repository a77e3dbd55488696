package io.payout.platform.deadletter;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * One kept dead letter as ops sees it. {@code payload} is the message body as it was published (the envelope):
 * JSON when it parses, else its text. {@code replayCount} &gt; 0 means someone replayed it ({@code replayedAt/By}: the
 * last time and who).
 */
public record DeadLetterView(
        UUID id,
        String queue,
        String messageId,
        String type,
        String routingKey,
        String reason,
        Integer attempts,
        Instant deadLetteredAt,
        int replayCount,
        Instant replayedAt,
        String replayedBy,
        JsonNode headers,
        JsonNode payload) {
}
