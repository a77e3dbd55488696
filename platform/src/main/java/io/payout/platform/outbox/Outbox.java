package io.payout.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.tracing.TraceIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Writes outgoing messages into the {@code outbox} table inside the caller's transaction, so the state change and
 * the message commit or roll back together. {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {
    private static final String INSERT = """
            insert into outbox (id, type, aggregate_id, payload, traceparent, occurred_at)
            values (:id, :type, :aggregate, cast(cast(:payload as text) as jsonb), :traceparent, :occurred)""";

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Appends one message; its routing key is its {@code type} (e.g. {@code ledger.hold}).
     * The current trace context is stored with it so the publish joins the request's trace.
     */
    public Uni<UUID> append(Mutiny.Session session, String type, String aggregateId, Object payload, Instant at) {
        UUID id = Ids.uuidV7();
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("payload of " + type + " is not JSON-able", e));
        }
        return session.createNativeQuery(INSERT)
                .setParameter("id", id)
                .setParameter("type", type)
                .setParameter("aggregate", aggregateId)
                .setParameter("payload", json)
                .setParameter("traceparent", TraceIds.currentTraceparent())
                .setParameter("occurred", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .executeUpdate()
                .replaceWith(id);
    }
}
