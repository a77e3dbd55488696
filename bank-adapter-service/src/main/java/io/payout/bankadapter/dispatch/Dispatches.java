package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.outcome.Verdict;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The dispatch table's writes, each one conditional statement, so that concurrent consumers (replicas, redeliveries)
 * never need a lock: the first insert wins, a final status is never left, and an inquiry's NOT_FOUND verdict only
 * applies if no bank call started since it was asked.
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
                   updated_at = :now
             where transfer_id = :id and (cast(:calls as integer) < 0 or calls = cast(:calls as integer))""";

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

    private final ObjectMapper mapper;

    public Dispatches(ObjectMapper mapper) {
        this.mapper = mapper;
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
