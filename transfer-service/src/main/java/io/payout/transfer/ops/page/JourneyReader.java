package io.payout.transfer.ops.page;

import io.payout.platform.db.SqlValues;
import io.payout.platform.money.Currencies;
import io.payout.transfer.ops.OpsQueries;
import io.payout.transfer.ops.OpsQueries.AnomalyView;
import io.payout.transfer.ops.page.OpsViews.Field;
import io.payout.transfer.ops.page.OpsViews.Match;
import io.payout.transfer.ops.page.OpsViews.Step;
import io.payout.transfer.state.Transfer;
import io.payout.transfer.state.TransferHistory;
import io.payout.transfer.state.TransferRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** What transfer-service itself knows of a transfer's journey, and the ops search over all clients' transfers. */
@ApplicationScoped
public class JourneyReader {
    /** Longest search text: client_request_id is at most 255 characters, external_ref and ids are shorter. */
    static final int QUERY_LENGTH_MAX = 255;
    private static final String MATCH_COLUMNS = """
            select id, client_id, client_request_id, state, external_ref, amount_minor, currency, created_at
              from transfers""";

    private final TransferRepository transfers;
    private final OpsQueries queries;

    public JourneyReader(TransferRepository transfers, OpsQueries queries) {
        this.transfers = transfers;
        this.queries = queries;
    }

    /** The transfer, its history and anomalies; null when there is no such transfer. */
    public record Local(Transfer transfer, List<TransferHistory> history, List<AnomalyView> anomalies) {
    }

    public Uni<Local> load(UUID id, int anomaliesMax) {
        return Panache.withSession(() -> transfers.findById(id).flatMap(t -> t == null
                ? Uni.createFrom().nullItem()
                : transfers.history(id).flatMap(h -> queries.anomalies(id, 0, anomaliesMax)
                        .map(a -> new Local(t, h, a)))));
    }

    /** Transfers whose id, external_ref or client_request_id (of any client) is exactly {@code q}, newest first. */
    public Uni<List<Match>> search(String q, int max) {
        UUID id = parseUuid(q);
        String sql = MATCH_COLUMNS + (id == null
                ? " where external_ref = :q or client_request_id = :q"
                : " where id = :id or external_ref = :q or client_request_id = :q")
                + " order by created_at desc limit :max";
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class).setParameter("q", q).setParameter("max", max);
            if (id != null) {
                query.setParameter("id", id);
            }
            return query.getResultList();
        })).map(rows -> rows.stream().map(r -> new Match((UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                (String) r[4], Currencies.format(((Number) r[5]).longValue(), (String) r[6]), (String) r[6],
                SqlValues.instant(r[7]))).toList());
    }

    /** The transfer's own fields, in the order an operator reads them; absent values as "—". */
    static List<Field> fields(Transfer t) {
        List<Field> f = new ArrayList<>();
        f.add(field("id", t.id));
        f.add(field("state", t.state));
        f.add(field("processing", !t.state.terminal()));
        f.add(field("client_id", t.clientId));
        f.add(field("client_request_id", t.clientRequestId));
        f.add(field("source_account", t.sourceAccount));
        f.add(field("destination", t.destBankCode + " / " + t.destAccountNumber));
        f.add(field("amount", Currencies.format(t.amountMinor, t.currency) + " " + t.currency));
        f.add(field("memo", t.memo));
        f.add(field("value_date", t.valueDate));
        f.add(field("external_ref", t.externalRef));
        f.add(field("hold_placed", t.holdPlaced));
        f.add(field("failure_reason", t.failureReason));
        f.add(field("created_at", t.createdAt));
        f.add(field("updated_at", t.updatedAt));
        f.add(field("trace_id", t.traceId));
        return f;
    }

    static List<Step> steps(List<TransferHistory> history) {
        return history.stream().map(h -> new Step(h.seq, h.state.name(), h.at, h.reason)).toList();
    }

    private static Field field(String name, Object value) {
        return new Field(name, value == null ? OpsViews.NONE : Objects.toString(value));
    }

    static UUID parseUuid(String raw) {
        try {
            return raw == null || raw.length() != 36 ? null : UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
