package io.payout.platform.audit;

import io.payout.platform.api.QueryParams;
import io.payout.platform.db.SqlValues;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.outbox.Ids;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.Map;
import java.util.UUID;

/**
 * The ops audit trail ({@code ops_audit}, append-only in the database). {@link #record} writes in the caller's
 * session, so the row commits or rolls back together with the action's effect: an effect without its audit row
 * (or the reverse) cannot exist.
 */
@ApplicationScoped
public class OpsAudit {
    private static final String INSERT = """
            insert into ops_audit (id, at, actor, action, target, reason, details, trace_id)
            values (:id, now(), :actor, :action, :target, :reason, cast(cast(:details as text) as jsonb), :trace)""";

    private static final String INSERT_POSITIONAL = """
            insert into ops_audit (id, at, actor, action, target, reason, details, trace_id)
            values ($1, now(), $2, $3, $4, $5, cast(cast($6 as text) as jsonb), $7)""";

    private final ObjectMapper mapper;
    private final AuditConfig config;

    public OpsAudit(ObjectMapper mapper, AuditConfig config) {
        this.mapper = mapper;
        this.config = config;
    }

    /** Appends one row for {@code action} in the caller's transaction, with the current trace id. */
    public Uni<Void> record(Mutiny.Session session, OpsAction action) {
        String details;
        try {
            details = details(action);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("audit details are not JSON-able", e));
        }
        return session.createNativeQuery(INSERT)
                .setParameter("id", Ids.uuidV7())
                .setParameter("actor", action.actor())
                .setParameter("action", action.action())
                .setParameter("target", action.target())
                .setParameter("reason", action.reason())
                .setParameter("details", details)
                .setParameter("trace", TraceIds.currentTraceId())
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The same, for code that works on the reactive pool's connection (its transaction) rather than a session. */
    public Uni<Void> record(SqlClient connection, OpsAction action) {
        String details;
        try {
            details = details(action);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("audit details are not JSON-able", e));
        }
        return connection.preparedQuery(INSERT_POSITIONAL)
                .execute(Tuple.from(java.util.Arrays.asList(Ids.uuidV7(), action.actor(), action.action(),
                        action.target(), action.reason(), details, TraceIds.currentTraceId())))
                .replaceWithVoid();
    }

    private String details(OpsAction action) throws JsonProcessingException {
        return mapper.writeValueAsString(action.details() == null ? Map.of() : action.details());
    }

    /** The trail newest first, optionally one action only; in a session of its own. */
    public Uni<AuditPage> page(String action, int page, int size) {
        try {
            QueryParams.checkPage(page, size, config.pageSizeMax());
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
        boolean filtered = action != null && !action.isBlank();
        String sql = "select id, at, actor, action, target, reason, details::text, trace_id from ops_audit"
                + (filtered ? " where action = :action" : "")
                + " order by at desc, id desc offset :offset limit :size";
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql, Object[].class)
                    .setParameter("offset", page * size)
                    .setParameter("size", size);
            if (filtered) {
                query.setParameter("action", action);
            }
            return query.getResultList();
        })).map(rows -> new AuditPage(page, size, rows.stream().map(r -> new AuditEntry((UUID) r[0],
                SqlValues.instant(r[1]), (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                json((String) r[6]), (String) r[7])).toList()));
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ops_audit.details is not JSON", e);
        }
    }
}
