package io.payout.transfer.state;

import io.payout.platform.inbox.PoisonMessage;
import io.payout.transfer.state.TransferStateMachine.Transition;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payout.platform.db.AfterCommit;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Applies one row of the {@link TransferStateMachine}: one conditional UPDATE and, when it moved the transfer,
 * the history entry — inside the caller's transaction (which also holds the inbox record and the outbox effect).
 */
@ApplicationScoped
public class TransferTransitions {
    private static final String HISTORY = """
            insert into transfer_history (transfer_id, seq, state, at, reason)
            select :id, coalesce(max(seq), 0) + 1, :state, :at, :reason from transfer_history where transfer_id = :id""";

    /** The first time the transfer entered DISPATCHED (a result may overtake it: then there is none). */
    private static final String DISPATCHED_AT = """
            select min(at) from transfer_history where transfer_id = :id and state = 'DISPATCHED'""";

    private final MeterRegistry registry;
    private final Timer approval;

    public TransferTransitions(MeterRegistry registry) {
        this.registry = registry;
        this.approval = Timer.builder("payout_transfer_approval")
                .description("Time from a transfer's acceptance to SETTLED")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofDays(2))
                .register(registry);
    }

    /** Facts the event brings along; null leaves the column as it is (first value wins). */
    public record Facts(String externalRef, String failureReason) {
        public static final Facts NONE = new Facts(null, null);
    }

    public sealed interface Outcome {
        /** The transfer moved; {@code transfer} is its new row. */
        record Applied(Transfer transfer, Transition transition) implements Outcome {
        }

        /** The transfer was not in a state this event applies to (late, duplicate or overtaken event). */
        record NotApplicable(TransferState current) implements Outcome {
        }
    }

    public Uni<Outcome> apply(Mutiny.Session session, UUID transferId, TransferEvent event, Facts facts) {
        Transition t = TransferStateMachine.on(event);
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        String update = "update transfers set state = :to, hold_placed = hold_placed or :hold,"
                + " external_ref = coalesce(external_ref, :ref), failure_reason = coalesce(failure_reason, :reason),"
                + " updated_at = :now where " + TransferStateMachine.guard(t);
        return session.createNativeQuery(update)
                .setParameter("to", t.to().name())
                .setParameter("hold", event == TransferEvent.HOLD_PLACED)
                .setParameter("ref", facts.externalRef())
                .setParameter("reason", facts.failureReason())
                .setParameter("now", now)
                .setParameter("id", transferId)
                .executeUpdate()
                .flatMap(rows -> rows == 1
                        ? appendHistory(session, transferId, t, now)
                        .flatMap(x -> load(session, transferId))
                        .call(transfer -> measure(session, transfer, event, t, now.toInstant()))
                        .map(transfer -> (Outcome) new Outcome.Applied(transfer, t))
                        : currentState(session, transferId).map(Outcome.NotApplicable::new));
    }

    /**
     * Counts the transition and, on a result, the latencies from the transfer's own timestamps (read in this
     * transaction); all recorded only once it commits, so a rolled-back or retried message is never counted.
     */
    private Uni<Void> measure(Mutiny.Session session, Transfer transfer, TransferEvent event, Transition t, Instant at) {
        Uni<Instant> dispatchedAt = t.to().terminal()
                ? session.createNativeQuery(DISPATCHED_AT, OffsetDateTime.class).setParameter("id", transfer.id)
                .getSingleResultOrNull().map(d -> d == null ? null : d.toInstant())
                : Uni.createFrom().nullItem();
        return dispatchedAt.invoke(dispatched -> AfterCommit.run(() -> {
            registry.counter("payout_transfer_transitions", "event", event.name(), "to", t.to().name()).increment();
            if (t.to() == TransferState.SETTLED) {
                approval.record(Duration.between(transfer.createdAt, at));
            }
            if (dispatched != null) {
                Timer.builder("payout_transfer_dispatched")
                        .description("Time from DISPATCHED (through EXPIRED, if it expired) to the bank's result")
                        .tag("outcome", t.to().name())
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(10))
                        .maximumExpectedValue(Duration.ofDays(2))
                        .register(registry)
                        .record(Duration.between(dispatched, at));
            }
        })).replaceWithVoid();
    }

    private Uni<Integer> appendHistory(Mutiny.Session session, UUID id, Transition t, OffsetDateTime at) {
        return session.createNativeQuery(HISTORY)
                .setParameter("id", id)
                .setParameter("state", t.to().name())
                .setParameter("at", at)
                .setParameter("reason", t.on().name())
                .executeUpdate();
    }

    private Uni<Transfer> load(Mutiny.Session session, UUID id) {
        return session.createQuery("from Transfer where id = :id", Transfer.class)
                .setParameter("id", id).getSingleResult()
                .call(session::refresh);
    }

    public Uni<TransferState> currentState(Mutiny.Session session, UUID id) {
        return session.createNativeQuery("select state from transfers where id = :id", String.class)
                .setParameter("id", id)
                .getSingleResultOrNull()
                .map(state -> {
                    if (state == null) {
                        throw new PoisonMessage("no transfer " + id);
                    }
                    return TransferState.valueOf(state);
                });
    }
}
