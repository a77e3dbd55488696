package io.payout.webhook.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Stores a verified webhook exactly once per {@code event_id} and forwards it at most once (SPEC §6).
 * <p>
 * One transaction: {@code INSERT … ON CONFLICT (event_id) DO NOTHING}, and only if that inserted the row, the
 * {@code webhook.bank-result} message into the outbox. The primary key is the whole concurrency control: of any
 * number of concurrent deliveries of one event, exactly one inserts; the others wait for its commit, insert nothing
 * and forward nothing (had it rolled back, one of them would insert instead). Storing comes first and nothing else
 * changes state here: acting on the result is bank-adapter's job, on the forwarded message, after this commits.
 */
@ApplicationScoped
public class EventStore {
    private static final Logger LOG = Logger.getLogger(EventStore.class);

    private static final String INSERT_IF_ABSENT = """
            insert into webhook_events (event_id, received_at, headers, body, event_type)
            values (:id, :at, cast(cast(:headers as text) as jsonb), :body, :type)
            on conflict (event_id) do nothing""";
    private static final String STORED_BODY = "select body from webhook_events where event_id = :id";

    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final WebhookMetrics metrics;

    public EventStore(Outbox outbox, ObjectMapper mapper, WebhookMetrics metrics) {
        this.outbox = outbox;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    @WithTransaction
    public Uni<StoreOutcome> store(ReceivedWebhook event) {
        return Panache.getSession().flatMap(session -> insertIfAbsent(session, event)
                .flatMap(inserted -> inserted ? forward(session, event) : duplicate(session, event)));
    }

    private Uni<Boolean> insertIfAbsent(Mutiny.Session session, ReceivedWebhook e) {
        return session.createNativeQuery(INSERT_IF_ABSENT)
                .setParameter("id", e.eventId())
                .setParameter("at", OffsetDateTime.ofInstant(e.receivedAt(), ZoneOffset.UTC))
                .setParameter("headers", json(e.headers()))
                .setParameter("body", e.body())
                .setParameter("type", e.eventType())
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    private Uni<StoreOutcome> forward(Mutiny.Session session, ReceivedWebhook e) {
        if (e.result() == null) {
            LOG.warnf("webhook %s of type '%s' stored but not forwarded: no consumer acts on that type",
                    e.eventId(), e.eventType());
            metrics.stored(false);
            return Uni.createFrom().item(new StoreOutcome(e.eventId(), false, false));
        }
        // the aggregate is the bank's transaction id: bank-adapter maps it to the transfer through its dispatch row
        return outbox.append(session, WebhookBankResult.TYPE, e.result().bankTranId(),
                        WebhookBankResult.of(e.eventId(), e.result()), e.receivedAt())
                .invoke(x -> metrics.stored(true))
                .replaceWith(new StoreOutcome(e.eventId(), false, true));
    }

    private Uni<StoreOutcome> duplicate(Mutiny.Session session, ReceivedWebhook e) {
        return session.createNativeQuery(STORED_BODY, String.class)
                .setParameter("id", e.eventId())
                .getSingleResultOrNull()
                .map(storedBody -> {
                    if (Objects.equals(storedBody, e.body())) {
                        metrics.duplicate();
                    } else {
                        // first one wins (it is what was forwarded); a different body under the same id is the
                        // bank's bug or a contradiction, and either way the inquiry path is what settles the truth
                        metrics.idReused();
                        LOG.warnf("webhook id %s re-sent with a different body; the first one stands and this one "
                                + "is not forwarded", e.eventId());
                    }
                    return new StoreOutcome(e.eventId(), true, false);
                });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
