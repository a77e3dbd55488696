package io.payout.webhook.event;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static io.payout.platform.db.SqlValues.instant;

/**
 * The stored webhooks, read back for ops: each event with the bank's claim it carried and the message it was
 * forwarded as. The claim is read from that {@code webhook.bank-result} outbox row (jsonb, written with the event in
 * one transaction), not by re-parsing the raw body: the outbox payload is the validated result that was acted on.
 * So an event's {@code external_ref} is known when it was forwarded, i.e. for every {@code transfer.result}; an event
 * of another type has none and is found by {@code event_id} only.
 */
@ApplicationScoped
public class EventHistory {
    private static final String SELECT = """
            select e.event_id, o.payload->>'bank_tran_id', e.event_type, o.payload->>'status', o.payload->>'amount',
                   o.payload->>'currency', o.payload->>'reason', e.received_at, o.id, o.published_at
            """;
    private static final String ORDER_PAGE = "\n order by e.received_at desc, e.event_id desc limit :limit offset :offset";
    // driven by the outbox rows of the ref: a transfer has a handful of events at most
    private static final String BY_REF = SELECT + """
              from outbox o join webhook_events e on e.event_id = o.payload->>'event_id'
             where o.type = :type and o.aggregate_id = :ref""";
    // driven by the primary key
    private static final String BY_ID = SELECT + """
              from webhook_events e
              left join outbox o on o.type = :type and o.payload->>'event_id' = e.event_id
             where e.event_id = :id""";

    /**
     * One stored event. {@code status} … {@code reason}: the bank's claim, null when the event was not a
     * {@code transfer.result}; {@code messageId}: the {@code webhook.bank-result} message it was forwarded as (null:
     * not forwarded), {@code publishedAt}: when the relay got the broker's confirm for it (null: not yet).
     */
    public record StoredEvent(String eventId, String externalRef, String eventType, String status, Long amountMinor,
                              String currency, String reason, Instant receivedAt, UUID messageId,
                              Instant publishedAt) {
    }

    /**
     * Newest first; {@code limit} rows from {@code offset}. Null filters are not applied; at least one is given
     * (and both narrow together).
     */
    public Uni<List<StoredEvent>> find(Mutiny.Session session, String externalRef, String eventId, int limit,
                                       long offset) {
        String sql = externalRef != null
                ? BY_REF + (eventId != null ? " and e.event_id = :id" : "") + ORDER_PAGE
                : BY_ID + ORDER_PAGE;
        Mutiny.SelectionQuery<Object[]> query = session.createNativeQuery(sql, Object[].class)
                .setParameter("type", WebhookBankResult.TYPE)
                .setParameter("limit", limit)
                .setParameter("offset", offset);
        if (externalRef != null) {
            query.setParameter("ref", externalRef);
        }
        if (eventId != null) {
            query.setParameter("id", eventId);
        }
        return query.getResultList().map(rows -> rows.stream().map(EventHistory::event).toList());
    }

    private static StoredEvent event(Object[] r) {
        return new StoredEvent(text(r[0]), text(r[1]), text(r[2]), text(r[3]),
                r[4] == null ? null : new BigDecimal(r[4].toString()).longValueExact(),
                text(r[5]), text(r[6]), instant(r[7]), r[8] == null ? null : UUID.fromString(r[8].toString()),
                instant(r[9]));
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }
}
