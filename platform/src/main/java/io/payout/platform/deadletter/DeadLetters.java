package io.payout.platform.deadletter;

import io.payout.platform.api.QueryParams;
import io.payout.platform.db.SqlValues;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.platform.audit.OpsAction;
import io.payout.platform.audit.OpsAudit;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The kept dead letters of this service ({@code dead_letters}, filled by {@link DeadLetterKeeper}): listing, and
 * replay. A replay republishes the original bytes with the original message id and headers to the original queue
 * only (routing key {@code replay.<queue>}, bound by every consumer queue), so the consumer's inbox keeps the effect
 * exactly-once however often it is replayed. The row and the audit trail change only after the broker confirmed.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** The outgoing channel of replays (platform configuration: exchange {@code payout}, publisher confirms). */
    public static final String REPLAY_CHANNEL = "replays";
    public static final String REPLAY_ROUTING_PREFIX = "replay.";
    public static final String REPLAY_ACTION = "dead-letter.replay";
    /** Audited too: an operator tried, and the broker did not confirm; nothing else changed. */
    public static final String REPLAY_FAILED_ACTION = "dead-letter.replay-failed";

    private static final String COLUMNS = """
            select id, queue, message_id, type, routing_key, reason, attempts, dead_lettered_at, replay_count,
                   replayed_at, replayed_by, headers::text, body from dead_letters""";
    private static final String REPLAYED = """
            update dead_letters set replay_count = replay_count + 1, replayed_at = now(), replayed_by = :actor
             where id = :id""";

    private final MutinyEmitter<byte[]> replays;
    private final OpsAudit audit;
    private final ObjectMapper mapper;
    private final DeadLetterConfig config;
    private final MeterRegistry registry;

    public DeadLetters(@Channel(REPLAY_CHANNEL) MutinyEmitter<byte[]> replays, OpsAudit audit, ObjectMapper mapper,
                       DeadLetterConfig config, MeterRegistry registry) {
        this.replays = replays;
        this.audit = audit;
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
    }

    /**
     * A page of dead letters, newest first. {@code queue}: only that queue (null: all); {@code state}: {@code open}
     * (never replayed), {@code replayed} or {@code all} (null: all). Bad arguments fail with a 400 problem.
     */
    public Uni<DeadLetterPage> page(String queue, String state, int page, int size) {
        String stateFilter;
        try {
            stateFilter = stateFilter(state);
            QueryParams.checkPage(page, size, config.pageSizeMax());
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        boolean byQueue = queue != null && !queue.isBlank();
        StringBuilder where = new StringBuilder();
        if (byQueue) {
            where.append(" where queue = :queue");
        }
        if (stateFilter != null) {
            where.append(byQueue ? " and " : " where ").append(stateFilter);
        }
        String sql = COLUMNS + where + " order by dead_lettered_at desc, id desc offset :offset limit :size";
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class)
                    .setParameter("offset", page * size)
                    .setParameter("size", size);
            if (byQueue) {
                query.setParameter("queue", queue);
            }
            return query.getResultList();
        })).map(rows -> new DeadLetterPage(page, size, rows.stream().map(r -> view(Row.of(r))).toList()));
    }

    /** One dead letter, or null. */
    public Uni<DeadLetterView> find(UUID id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> row(session, id)))
                .map(row -> row == null ? null : view(row));
    }

    /**
     * Replays one dead letter for {@code actor} (the JWT sub) with the operator's {@code reason}: publish, wait for
     * the confirm, then in one transaction count the replay and append the audit row. Fails with a 404 problem for
     * an unknown id and a 503 problem when the broker does not confirm (row unchanged; the failed attempt is audited).
     */
    public Uni<DeadLetterView> replay(UUID id, String actor, String reason) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> row(session, id)))
                .flatMap(row -> {
                    if (row == null) {
                        throw notFound(id);
                    }
                    return publish(row)
                            .onFailure().recoverWithUni(failure -> failed(row, actor, reason, failure))
                            .flatMap(confirmed -> Panache.withTransaction(() -> Panache.getSession()
                                    .flatMap(session -> session.createNativeQuery(REPLAYED)
                                            .setParameter("actor", actor)
                                            .setParameter("id", id)
                                            .executeUpdate()
                                            .flatMap(n -> audit.record(session, new OpsAction(actor, REPLAY_ACTION,
                                                    id.toString(), reason, details(row, null))))
                                            .flatMap(x -> row(session, id)))))
                            .map(this::view)
                            .invoke(v -> registry.counter("payout_dead_letters_replayed", "queue", v.queue())
                                    .increment());
                });
    }

    private Uni<Void> publish(Row row) {
        Map<String, Object> headers = replayHeaders(row);
        OutgoingRabbitMQMetadata.Builder amqp = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(REPLAY_ROUTING_PREFIX + row.queue())
                .withDeliveryMode(2) // persistent
                .withContentType("application/json")
                .withHeaders(headers);
        if (row.messageId() != null) {
            amqp.withMessageId(row.messageId());
        }
        if (row.type() != null) {
            amqp.withType(row.type());
        }
        // the replay continues the original message's trace (one trace per transfer), not the ops request's
        Object traceparent = headers.get("traceparent");
        Metadata metadata = traceparent instanceof String tp
                ? Metadata.of(amqp.build(), TracingMetadata.withCurrent(TraceIds.contextOf(tp)))
                : Metadata.of(amqp.build());
        return replays.sendMessage(Message.of(row.body(), metadata))
                .ifNoItem().after(Duration.ofMillis(config.replayConfirmTimeoutMs()))
                .failWith(() -> new IllegalStateException("no publisher confirm within "
                        + config.replayConfirmTimeoutMs() + " ms"));
    }

    /** Audits the failed attempt in a transaction of its own, then answers 503 whatever that audit did. */
    private Uni<Void> failed(Row row, String actor, String reason, Throwable failure) {
        LOG.warnf("replay of dead letter %s to %s failed: %s", row.id(), row.queue(), failure.toString());
        registry.counter("payout_dead_letters_replay_failed", "queue", row.queue()).increment();
        ProblemException unavailable = ProblemException.of(503, "broker-unavailable", "BROKER_UNAVAILABLE",
                "Broker unavailable", "The broker did not confirm the replay of dead letter " + row.id()
                        + "; nothing was changed, try again later");
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> audit.record(session,
                        new OpsAction(actor, REPLAY_FAILED_ACTION, row.id().toString(), reason,
                                details(row, failure.toString())))))
                .onFailure().invoke(e -> LOG.errorf("auditing the failed replay of %s failed: %s", row.id(), e))
                .onItemOrFailure().transformToUni((x, e) -> Uni.createFrom().failure(unavailable));
    }

    /**
     * The original headers, less what describes the dead-lettering or the deliveries (a stale
     * {@code x-delivery-count} would make the consumer count earlier attempts again), plus the dead letter replayed.
     */
    private Map<String, Object> replayHeaders(Row row) {
        Map<String, Object> stored;
        try {
            stored = row.headersJson() == null ? Map.of()
                    : mapper.readValue(row.headersJson(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            stored = Map.of();
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT);
            boolean delivery = name.equals("x-delivery-count") || name.startsWith("x-death")
                    || name.startsWith("x-first-death") || name.startsWith("x-last-death");
            if (!delivery && !name.startsWith(DeadLetterHeaders.OURS) && v != null
                    && !(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
                headers.put(k, v);
            }
        });
        headers.put(DeadLetterHeaders.REPLAY_OF, row.id().toString());
        return headers;
    }

    private static Map<String, Object> details(Row row, String error) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("queue", row.queue());
        d.put("message_id", row.messageId());
        d.put("type", row.type());
        d.put("replay_count_before", row.replayCount());
        if (error != null) {
            d.put("error", error);
        }
        return d;
    }

    private Uni<Row> row(Mutiny.Session session, UUID id) {
        return session.createNativeQuery(COLUMNS + " where id = :id", Object[].class)
                .setParameter("id", id)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : Row.of(rows.get(0)));
    }

    private DeadLetterView view(Row r) {
        return new DeadLetterView(r.id(), r.queue(), r.messageId(), r.type(), r.routingKey(), r.reason(),
                r.attempts(), r.deadLetteredAt(), r.replayCount(), r.replayedAt(), r.replayedBy(),
                json(r.headersJson()), payload(r.body()));
    }

    /** The envelope as JSON; a body that is not JSON (often why it is here) as its text. */
    private JsonNode payload(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
        } catch (Exception e) {
            // not JSON: shown as text below
        }
        return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    public static ProblemException notFound(Object id) {
        return ProblemException.of(404, "dead-letter-not-found", "DEAD_LETTER_NOT_FOUND", "Dead letter not found",
                "No dead letter " + id + " in this service");
    }

    private static String stateFilter(String state) {
        String s = state == null || state.isBlank() ? "all" : state;
        return switch (s) {
            case "all" -> null;
            case "open" -> "replay_count = 0";
            case "replayed" -> "replay_count > 0";
            default -> throw ProblemException.validation(List.of(new FieldError("state", "INVALID_VALUE",
                    "must be open, replayed or all")));
        };
    }

    /** One {@code dead_letters} row as read by {@link #COLUMNS}. */
    private record Row(UUID id, String queue, String messageId, String type, String routingKey, String reason,
                       Integer attempts, java.time.Instant deadLetteredAt, int replayCount,
                       java.time.Instant replayedAt, String replayedBy, String headersJson, byte[] body) {
        static Row of(Object[] r) {
            return new Row((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                    SqlValues.integer(r[6]), SqlValues.instant(r[7]), SqlValues.integer(r[8]),
                    SqlValues.instant(r[9]), (String) r[10], (String) r[11], bytes(r[12]));
        }

        private static byte[] bytes(Object value) {
            return switch (value) {
                case null -> new byte[0];
                case byte[] b -> b;
                case io.vertx.core.buffer.Buffer b -> b.getBytes();
                default -> throw new IllegalStateException("unexpected bytea type " + value.getClass());
            };
        }
    }
}
