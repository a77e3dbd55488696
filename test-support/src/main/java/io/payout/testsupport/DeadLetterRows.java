package io.payout.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;


/**
 * The dead letters a service kept ({@code dead_letters}, filled from its dead-letter queue by the platform's keeper),
 * read straight from its database: how tests observe what was dead-lettered, with the reason, queue and message id
 * the consumer gave it. The keeper drains the dead-letter queues, so this is where dead letters are to be seen.
 */
public final class DeadLetterRows {
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** The dead-letter exchange: each consumer queue's {@code <queue>.dlq} is bound by the queue's name. */
    public static final String DLX = "payout.dlx";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = """
            select id, queue, message_id, type, routing_key, reason, attempts, body, headers::text as headers,
                   replay_count, replayed_by from dead_letters""";

    private DeadLetterRows() {
    }

    /** One kept dead letter; {@code body} is the message as it was published, as text. */
    public record Kept(UUID id, String queue, String messageId, String type, String routingKey, String reason,
                       Integer attempts, String body, String headers, int replayCount, String replayedBy) {
        /** A header the dead letter carried (e.g. {@code x-payout-routing-key}), as text; null when absent. */
        public String header(String name) {
            try {
                JsonNode v = JSON.readTree(headers).get(name);
                return v == null || v.isNull() ? null : v.asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every dead letter of the database, oldest first. */
    public static List<Kept> all(String database) {
        return Rows.query(database, SELECT + " order by dead_lettered_at, id").stream().map(DeadLetterRows::kept)
                .toList();
    }

    /** Every dead letter of the application under test ({@link ServiceTestResource}). */
    public static List<Kept> all() {
        return all(ServiceTestResource.database());
    }

    public static List<Kept> matching(String database, Predicate<Kept> which) {
        return all(database).stream().filter(which).toList();
    }

    /** Waits until a dead letter matching {@code which} is kept, and returns the first one. */
    public static Kept await(String database, Predicate<Kept> which) {
        Awaitility.await().atMost(WAIT).until(() -> !matching(database, which).isEmpty());
        return matching(database, which).getFirst();
    }

    public static Kept await(Predicate<Kept> which) {
        return await(ServiceTestResource.database(), which);
    }

    /** Waits for the dead letter of this message id in the application under test. */
    public static Kept awaitMessage(String messageId) {
        return await(k -> messageId.equals(k.messageId()));
    }

    /** Waits for a dead letter whose body contains {@code text} in the application under test. */
    public static Kept awaitBodyContaining(String text) {
        return await(k -> k.body().contains(text));
    }

    /** The kept rows of one message id (more than one would mean a redelivery was kept twice). */
    public static long countOf(String database, String messageId) {
        return matching(database, k -> messageId.equals(k.messageId())).size();
    }

    /**
     * Publishes a dead letter the way the platform's inbox does when it gives up on a message of {@code queue}
     * (its headers), to the dead-letter queue of {@code consumerQueue} (the exchange routes by consumer queue name).
     * A {@code queue} no consumer has keeps what a test lists its own, and makes its replays go nowhere.
     */
    public static void publish(String vhost, String consumerQueue, String queue, UUID id, String messageId,
                               Instant at) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-payout-dead-letter-id", id.toString());
        headers.put("x-payout-dead-lettered-at", at.toString());
        headers.put("x-payout-reason", "PoisonMessage: published by a test");
        headers.put("x-payout-queue", queue);
        headers.put("x-payout-attempts", 5);
        headers.put("x-payout-routing-key", "test.poison");
        BrokerProbe.publish(vhost, DLX, consumerQueue, messageId, "test.poison", headers, envelope(messageId));
    }

    /** A well-formed envelope of type {@code test.poison}, which no consumer handles. */
    public static String envelope(String messageId) {
        return BrokerProbe.envelope(messageId, "test.poison", "test", "{\"test\":true}");
    }

    private static Kept kept(Map<String, Object> r) {
        return new Kept((UUID) r.get("id"), (String) r.get("queue"), (String) r.get("message_id"),
                (String) r.get("type"), (String) r.get("routing_key"), (String) r.get("reason"),
                (Integer) r.get("attempts"), new String((byte[]) r.get("body"), StandardCharsets.UTF_8),
                (String) r.get("headers"), ((Number) r.get("replay_count")).intValue(), (String) r.get("replayed_by"));
    }
}
