package io.payout.platform.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps what a service's dead-letter queue delivers in its {@code dead_letters} table, then acks: the queue is the
 * transport, the table is what ops lists, replays and what survives. The row's id is the message's
 * {@link DeadLetterHeaders#ID} (a hash of queue, message id and body when absent, e.g. for a message the broker
 * dead-lettered itself), and the insert is {@code ON CONFLICT DO NOTHING}, so a redelivery from the DLQ (an ack lost
 * after the commit) adds nothing. A row that cannot be stored is requeued after a back-off, never dropped.
 * <p>
 * Each consuming service configures the channel {@value #CHANNEL} on its {@code <queue>.dlq}; it is disabled by
 * default (platform configuration) for services without a consumer queue.
 */
@ApplicationScoped
public class DeadLetterKeeper {
    private static final Logger LOG = Logger.getLogger(DeadLetterKeeper.class);
    public static final String CHANNEL = "dead-letter-keeper";

    private static final String KEEP = """
            insert into dead_letters (id, queue, message_id, type, routing_key, body, headers, reason, attempts,
                                      dead_lettered_at)
            values (:id, :queue, :message, :type, :routing, :body, cast(cast(:headers as text) as jsonb), :reason,
                    :attempts, :at)
            on conflict (id) do nothing""";

    private final ObjectMapper mapper;
    private final DeadLetterConfig config;
    private final MeterRegistry registry;

    public DeadLetterKeeper(ObjectMapper mapper, DeadLetterConfig config, MeterRegistry registry) {
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    public Uni<Void> keep(Message<byte[]> message) {
        return Uni.createFrom().deferred(() -> {
                    Kept kept = read(message);
                    return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                                    .createNativeQuery(KEEP)
                                    .setParameter("id", kept.id())
                                    .setParameter("queue", kept.queue())
                                    .setParameter("message", kept.messageId())
                                    .setParameter("type", kept.type())
                                    .setParameter("routing", kept.routingKey())
                                    .setParameter("body", kept.body())
                                    .setParameter("headers", kept.headersJson())
                                    .setParameter("reason", kept.reason())
                                    .setParameter("attempts", kept.attempts())
                                    .setParameter("at", OffsetDateTime.ofInstant(kept.at(), ZoneOffset.UTC))
                                    .executeUpdate()))
                            .invoke(rows -> registry.counter("payout_dead_letters_kept", "queue", kept.queue(),
                                    "outcome", rows == 1 ? "kept" : "redelivered").increment());
                })
                .flatMap(rows -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf("keeping a dead letter failed, requeueing it in %d ms: %s", config.keepRetryDelayMs(),
                            failure.toString());
                    return Uni.createFrom().voidItem()
                            .onItem().delayIt().by(Duration.ofMillis(config.keepRetryDelayMs()))
                            .flatMap(x -> Uni.createFrom().completionStage(message.nack(failure)));
                });
    }

    /** The row for one delivered dead letter: our headers first, then the broker's {@code x-death}, then defaults. */
    Kept read(Message<byte[]> message) {
        IncomingRabbitMQMetadata in = message.getMetadata(IncomingRabbitMQMetadata.class).orElse(null);
        Map<String, Object> headers = in == null ? Map.of() : in.getHeaders();
        byte[] body = message.getPayload() == null ? new byte[0] : message.getPayload();
        Map<?, ?> death = firstDeath(headers);
        JsonNode envelope = envelope(body);

        String queue = first(DeadLetterHeaders.text(headers, DeadLetterHeaders.QUEUE),
                death == null ? null : text(death.get("queue")),
                in == null ? null : in.getRoutingKey(), "unknown");
        String messageId = first(in == null ? null : in.getMessageId().orElse(null),
                envelopeText(envelope, "message_id"));
        String type = first(in == null ? null : in.getType().orElse(null), envelopeText(envelope, "type"));
        String routingKey = first(DeadLetterHeaders.text(headers, DeadLetterHeaders.ROUTING_KEY),
                death == null ? null : firstOf(death.get("routing-keys")));
        String reason = first(DeadLetterHeaders.text(headers, DeadLetterHeaders.REASON),
                death == null ? null : "dead-lettered by the broker: " + text(death.get("reason")),
                "unknown");
        Integer attempts = integer(headers.get(DeadLetterHeaders.ATTEMPTS));
        if (attempts == null) {
            Integer deliveries = integer(headers.get("x-delivery-count"));
            attempts = deliveries == null ? null : deliveries + 1;
        }
        Instant at = instant(DeadLetterHeaders.text(headers, DeadLetterHeaders.AT));
        if (at == null && death != null && death.get("time") instanceof Date d) {
            at = d.toInstant();
        }
        UUID id = uuid(DeadLetterHeaders.text(headers, DeadLetterHeaders.ID));
        if (id == null) {
            id = hashId(queue, messageId, body);
        }
        String headersJson;
        try {
            headersJson = mapper.writeValueAsString(DeadLetterHeaders.jsonable(headers));
        } catch (Exception e) {
            headersJson = "{}";
        }
        return new Kept(id, DeadLetterHeaders.clean(queue), DeadLetterHeaders.clean(messageId),
                DeadLetterHeaders.clean(type), DeadLetterHeaders.clean(routingKey), body, headersJson,
                DeadLetterHeaders.clean(reason), attempts, at == null ? Instant.now() : at);
    }

    record Kept(UUID id, String queue, String messageId, String type, String routingKey, byte[] body,
                String headersJson, String reason, Integer attempts, Instant at) {
    }

    private JsonNode envelope(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null; // poison may be anything; the raw bytes are kept regardless
        }
    }

    private static String envelopeText(JsonNode envelope, String field) {
        JsonNode v = envelope == null ? null : envelope.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static Map<?, ?> firstDeath(Map<String, Object> headers) {
        return headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> m ? m : null;
    }

    private static String firstOf(Object list) {
        return list instanceof List<?> l && !l.isEmpty() ? text(l.get(0)) : null;
    }

    private static String text(Object v) {
        return v == null ? null : DeadLetterHeaders.text(Map.of("v", v), "v");
    }

    private static Integer integer(Object v) {
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? null : Integer.valueOf(text(v).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }

    /** Deterministic for the same message on the same queue, so even an id-less dead letter is kept once. */
    static UUID hashId(String queue, String messageId, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((queue + "\n" + messageId + "\n").getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(sha.digest(body));
            long msb = (b.getLong() & ~0xF000L) | 0x8000L;                         // version 8 (custom)
            long lsb = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // RFC 9562 variant
            return new UUID(msb, lsb);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
