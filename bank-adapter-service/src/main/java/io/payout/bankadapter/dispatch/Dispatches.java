package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.config.BankConfig;
import io.payout.bankadapter.outcome.Verdict;
import io.payout.platform.tracing.TraceIds;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The dispatch table's writes, each one conditional statement, so that concurrent consumers (replicas, redeliveries,
 * retry loops) never need a lock: the first insert wins, a final status is never left, an inquiry's NOT_FOUND verdict
 * only applies if no bank call started since it was asked, and a WAITING row is claimed by one loop at a time.
 */
@ApplicationScoped
public class Dispatches {
    private static final String FINAL = "('SUCCEEDED', 'FAILED', 'COLLISION')";

    private static final String INSERT = """
            insert into dispatches (transfer_id, external_ref, request, status, calls, last_call_at, created_at, updated_at)
            values (:id, :ref, cast(cast(:request as text) as jsonb), 'CALLING', 1, :now, :now, :now)
            on conflict do nothing""";

    private static final String RECALL = """
            update dispatches set calls = calls + 1, last_call_at = :now, updated_at = :now
             where transfer_id = :id and external_ref = :ref and status not in """ + FINAL;

    /*
     * Status: a final one stays; UNKNOWN never hides an earlier ACCEPTED (a timed-out re-call says nothing new);
     * '' keeps it. Outcome and last answer always record the latest answer. :calls < 0 means "whatever the calls".
     */
    private static final String RECORD = """
            update dispatches set
                   status = case when status in """ + FINAL + """
                                  then status
                                 when cast(:status as text) = '' then status
                                 when cast(:status as text) = 'UNKNOWN' and status = 'ACCEPTED' then status
                                 else cast(:status as text) end,
                   outcome = cast(:outcome as text),
                   reason = coalesce(cast(:reason as text), reason),
                   collision_detail = coalesce(cast(:detail as text), collision_detail),
                   last_answer = coalesce(cast(cast(:answer as text) as jsonb), last_answer),
                   next_attempt_at = case when cast(:status as text) = '' then next_attempt_at else null end,
                   updated_at = :now
             where transfer_id = :id and (cast(:calls as integer) < 0 or calls = cast(:calls as integer))""";

    /*
     * The bank was not called: wait. Only a dispatch the saga has heard nothing about (CALLING, WAITING) waits; one
     * the bank has answered before, or a final one, is left alone. The first wait is wait-delay-ms plus up to 50% jitter
     * (never sooner: the breaker would refuse again), doubling per wait, never over wait-max-delay-ms. Database time,
     * like the claim below, so replicas' clocks do not matter.
     */
    // calls - 1: the call counted when it was claimed never reached the bank (WAITING means no attempt did), so
    // it must not use up calls-max — else a long breaker outage could fail a dispatch the bank never saw
    private static final String WAIT = """
            update dispatches set status = 'WAITING',
                   waits = waits + 1,
                   calls = greatest(calls - 1, 0),
                   next_attempt_at = now() + make_interval(secs => least(cast(:maxMs as double precision),
                           cast(:firstMs as double precision) * power(2, least(waits, 30)) * (1 + random() * 0.5)) / 1000.0),
                   outcome = cast(:outcome as text),
                   last_answer = cast(cast(:answer as text) as jsonb),
                   traceparent = coalesce(cast(:traceparent as text), traceparent),
                   updated_at = :now
             where transfer_id = :id and status in ('CALLING', 'WAITING')""";

    /*
     * The bank has no trace of a call made long enough ago (inquiry NOT_FOUND): send it again through the retry
     * loop, with the same ref — but only if no call started since the inquiry was asked (calls is the version).
     */
    private static final String RESEND = """
            update dispatches set status = 'WAITING',
                   next_attempt_at = now(),
                   outcome = cast(:outcome as text),
                   last_answer = cast(cast(:answer as text) as jsonb),
                   updated_at = :now
             where transfer_id = :id and status in ('CALLING', 'ACCEPTED', 'UNKNOWN') and calls = :calls""";

    /*
     * The retry loop's claim, one statement: lock due WAITING rows another instance has not locked (SKIP LOCKED),
     * count the call about to be made (calls, last_call_at: committed before the bank hears of it, exactly as a
     * message-driven dispatch does) and push next_attempt_at to the end of a lease, so no other instance picks them
     * while this one calls. If this instance dies, the rows are due again when the lease ends: the next call carries
     * the same ref, and the bank dedupes it.
     */
    private static final String CLAIM_DUE = """
            update dispatches d
               set calls = d.calls + 1, last_call_at = $1, updated_at = $1,
                   next_attempt_at = now() + make_interval(secs => cast($2 as double precision) / 1000.0)
              from (select transfer_id from dispatches
                     where status = 'WAITING' and next_attempt_at <= now()
                     order by next_attempt_at
                     limit $3
                       for update skip locked) due
             where d.transfer_id = due.transfer_id and d.status = 'WAITING'
            returning d.transfer_id, d.external_ref, d.request::text as request, d.calls, d.traceparent""";

    private static final String COUNT_WAITING = "select count(*) as n from dispatches where status = 'WAITING'";

    /** What the first transaction of a dispatch decided. */
    public sealed interface Claim {
        /** The row is committed with this ref: call the bank (again, if {@code calls} > 1: same ref, bank dedupes). */
        record Call(int calls) implements Claim {
        }

        /** The dispatch is final: the bank is not called again and nothing new is reported. */
        record Final(String status) implements Claim {
        }

        /** Another transfer already holds this ref (a 45-bit hash collision): calling the bank would mix them up. */
        record RefTaken(UUID otherTransfer) implements Claim {
        }

        /** This transfer was dispatched with another ref, i.e. another intent: something upstream is wrong. */
        record OtherRef(String existingRef) implements Claim {
        }
    }

    /** A WAITING dispatch claimed by the retry loop: call the bank with this request (same ref). */
    public record Due(UUID transferId, String externalRef, JsonNode request, int calls, String traceparent) {
    }

    private final ObjectMapper mapper;
    private final Pool pool;
    private final BankConfig config;

    public Dispatches(ObjectMapper mapper, Pool pool, BankConfig config) {
        this.mapper = mapper;
        this.pool = pool;
        this.config = config;
    }

    /**
     * Inserts the dispatch row (or, on a redelivery, counts one more call on it). Run it in a transaction of its own
     * and commit before calling the bank: whatever happens during the call, the row and its ref are on record.
     */
    public Uni<Claim> claim(Mutiny.Session session, UUID transferId, String ref, JsonNode request) {
        OffsetDateTime now = now();
        return session.createNativeQuery(INSERT)
                .setParameter("id", transferId)
                .setParameter("ref", ref)
                .setParameter("request", json(request))
                .setParameter("now", now)
                .executeUpdate()
                .flatMap(inserted -> inserted == 1 ? Uni.createFrom().<Claim>item(new Claim.Call(1))
                        : session.createNativeQuery(RECALL)
                        .setParameter("id", transferId)
                        .setParameter("ref", ref)
                        .setParameter("now", now)
                        .executeUpdate()
                        .flatMap(updated -> updated == 1 ? session.find(Dispatch.class, transferId)
                                .map(d -> (Claim) new Claim.Call(d.calls))
                                : whyNot(session, transferId, ref)));
    }

    private Uni<Claim> whyNot(Mutiny.Session session, UUID transferId, String ref) {
        return session.find(Dispatch.class, transferId).flatMap(mine -> {
            if (mine == null) {
                return byRef(session, ref).map(other -> new Claim.RefTaken(other == null ? null : other.transferId));
            }
            if (!mine.externalRef.equals(ref)) {
                return Uni.createFrom().item(new Claim.OtherRef(mine.externalRef));
            }
            return Uni.createFrom().item(new Claim.Final(mine.status));
        });
    }

    public Uni<Dispatch> byRef(Mutiny.Session session, String ref) {
        return session.createSelectionQuery("from Dispatch where externalRef = :ref", Dispatch.class)
                .setParameter("ref", ref)
                .getSingleResultOrNull();
    }

    /**
     * Records a verdict on the row. With {@code expectedCalls} ≥ 0 it applies only if the row still has that many
     * calls; returns the rows updated (0 then means a bank call started in between).
     */
    public Uni<Integer> record(Mutiny.Session session, UUID transferId, Verdict verdict, int expectedCalls) {
        String status = verdict.status();
        return session.createNativeQuery(RECORD)
                .setParameter("id", transferId)
                .setParameter("status", status == null ? "" : status)
                .setParameter("outcome", verdict.outcome())
                .setParameter("reason", verdict.reason())
                .setParameter("detail", verdict.kind() == Verdict.Kind.COLLISION ? verdict.detail() : null)
                .setParameter("answer", verdict.answer() == null ? null : json(verdict.answer()))
                .setParameter("calls", expectedCalls)
                .setParameter("now", now())
                .executeUpdate();
    }

    /** Puts a dispatch the bank was not called for to wait; returns the rows updated (0: it is past waiting). */
    public Uni<Integer> waitFor(Mutiny.Session session, UUID transferId, Verdict verdict) {
        return session.createNativeQuery(WAIT)
                .setParameter("id", transferId)
                .setParameter("firstMs", config.waitDelayMs())
                .setParameter("maxMs", config.waitMaxDelayMs())
                .setParameter("outcome", verdict.outcome())
                .setParameter("answer", verdict.answer() == null ? null : json(verdict.answer()))
                .setParameter("traceparent", TraceIds.currentTraceparent())
                .setParameter("now", now())
                .executeUpdate();
    }

    /** Re-sends a dispatch the bank never received; 0 rows: a call started since, or the row moved on. */
    public Uni<Integer> resend(Mutiny.Session session, UUID transferId, Verdict verdict, int expectedCalls) {
        return session.createNativeQuery(RESEND)
                .setParameter("id", transferId)
                .setParameter("outcome", verdict.outcome())
                .setParameter("answer", verdict.answer() == null ? null : json(verdict.answer()))
                .setParameter("now", now())
                .setParameter("calls", expectedCalls)
                .executeUpdate();
    }

    /** Claims up to {@code batch} due WAITING dispatches for {@code leaseMs} (one autocommitted statement). */
    public Uni<List<Due>> claimDue(int batch, long leaseMs) {
        return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(now(), leaseMs, batch)).map(rows -> {
            List<Due> due = new ArrayList<>();
            for (Row row : rows) {
                due.add(new Due(row.getUUID("transfer_id"), row.getString("external_ref"),
                        tree(row.getString("request")), row.getInteger("calls"), row.getString("traceparent")));
            }
            return due;
        });
    }

    /** WAITING dispatches right now, across every instance (they share the table). */
    public Uni<Long> countWaiting() {
        return pool.query(COUNT_WAITING).execute().map(rows -> rows.iterator().next().getLong("n"));
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable dispatch request", e);
        }
    }

    private String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-able", e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
