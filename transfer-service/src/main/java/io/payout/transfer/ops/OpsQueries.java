package io.payout.transfer.ops;

import io.payout.platform.money.Currencies;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static io.payout.platform.db.SqlValues.instant;

/**
 * The reads ops looks at, shared by the JSON ops API ({@link OpsResource}) and the ops web page, so both always
 * show the same thing. Callers provide the session ({@code @WithSession}) and validate paging.
 */
@ApplicationScoped
public class OpsQueries {

    public record AnomalyView(UUID id, UUID transferId, String kind, String detail, UUID messageId, Instant createdAt) {
    }

    public record StuckTransfer(UUID id, String clientId, String state, String externalRef, String amount,
                                String currency, Instant since, int inquiryAttempts, Instant nextInquiryAt) {
    }

    /** Transfers DISPATCHED longer than {@code age} and still DISPATCHED or EXPIRED, oldest first. */
    public Uni<List<StuckTransfer>> stuck(Duration age, int page, int size) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        select t.id, t.client_id, t.state, t.external_ref, t.amount_minor, t.currency, d.at,
                               t.inquiry_attempts, t.next_inquiry_at
                          from transfers t
                          join lateral (select min(h.at) at from transfer_history h
                                         where h.transfer_id = t.id and h.state = 'DISPATCHED') d on true
                         where t.state in ('DISPATCHED', 'EXPIRED') and d.at < :before
                         order by d.at offset :offset limit :size""", Object[].class)
                .setParameter("before", OffsetDateTime.now(ZoneOffset.UTC).minus(age))
                .setParameter("offset", page * size)
                .setParameter("size", size)
                .getResultList())
                .map(rows -> rows.stream().map(r -> new StuckTransfer(
                        (UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                        Currencies.format(((Number) r[4]).longValue(), (String) r[5]), (String) r[5], instant(r[6]),
                        ((Number) r[7]).intValue(), instant(r[8]))).toList());
    }

    /** Anomalies newest first, of one transfer or (null) of all. */
    public Uni<List<AnomalyView>> anomalies(UUID transferId, int page, int size) {
        var query = transferId == null
                ? Anomaly.<Anomaly>findAll(Sort.descending("createdAt"))
                : Anomaly.<Anomaly>find("transferId", Sort.descending("createdAt"), transferId);
        return query.page(Page.of(page, size)).list().map(list -> list.stream()
                .map(a -> new AnomalyView(a.id, a.transferId, a.kind, a.detail, a.messageId, a.createdAt)).toList());
    }
}
