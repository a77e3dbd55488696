package io.payout.transfer.saga;

import io.payout.platform.schedule.Periodic;
import io.payout.transfer.config.SweeperConfig;
import io.payout.transfer.state.TransferEvent;
import io.payout.transfer.state.TransferTransitions;
import io.payout.transfer.state.TransferTransitions.Facts;
import io.payout.transfer.state.TransferTransitions.Outcome;
import io.payout.platform.db.AfterCommit;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the bank's result does not come: DISPATCHED transfers older than {@code expire-after-ms} become EXPIRED and
 * the bank is asked ({@code bank.inquiry}); EXPIRED transfers are asked again with exponential back-off and jitter
 * until a result (inquiry answer or late webhook) moves them to SETTLED or FAILED. EXPIRED is never terminal.
 * <p>
 * Safe with several replicas: each step claims its rows with {@code FOR UPDATE SKIP LOCKED}, and the expiry itself
 * is the state machine's conditional UPDATE.
 */
@ApplicationScoped
public class ResultSweeper {
    private static final String DUE_TO_EXPIRE = """
            select id from transfers
             where state = 'DISPATCHED' and updated_at < now() - make_interval(secs => :ms / 1000.0)
             order by updated_at limit :batch for update skip locked""";
    private static final String DUE_FOR_INQUIRY = """
            select id, external_ref, inquiry_attempts from transfers
             where state = 'EXPIRED' and next_inquiry_at <= now()
             order by next_inquiry_at limit :batch for update skip locked""";
    private static final String SCHEDULE_NEXT = """
            update transfers set inquiry_attempts = inquiry_attempts + 1,
                   next_inquiry_at = now() + make_interval(secs => :ms / 1000.0)
             where id = :id""";

    private final TransferTransitions transitions;
    private final SagaCommands commands;
    private final SweeperConfig config;
    private final Vertx vertx;
    private Periodic periodic;

    public ResultSweeper(TransferTransitions transitions, SagaCommands commands, SweeperConfig config, Vertx vertx) {
        this.transitions = transitions;
        this.commands = commands;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent ev) {
        if (config.enabled()) {
            periodic = Periodic.start(vertx, "result sweeper", config.intervalMs(), this::sweep);
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** One sweep: expire what waited too long, then re-ask the bank where the back-off has run out. */
    public Uni<Void> sweep() {
        // AfterCommit: the transitions' metrics count only what committed
        return AfterCommit.transaction(() -> Panache.getSession().flatMap(this::expire))
                .flatMap(x -> Panache.withTransaction(() -> Panache.getSession().flatMap(this::inquireAgain)));
    }

    private Uni<Void> expire(Mutiny.Session session) {
        return session.createNativeQuery(DUE_TO_EXPIRE, UUID.class)
                .setParameter("ms", config.expireAfterMs())
                .setParameter("batch", config.batchSize())
                .getResultList()
                .flatMap(ids -> each(ids, id -> transitions
                        .apply(session, id, TransferEvent.NO_RESULT_IN_TIME, Facts.NONE)
                        .flatMap(outcome -> outcome instanceof Outcome.Applied applied
                                ? commands.send(session, applied.transition().effect(), applied.transfer())
                                .flatMap(x -> scheduleNext(session, id, 0))
                                : Uni.createFrom().voidItem())));
    }

    private Uni<Void> inquireAgain(Mutiny.Session session) {
        return session.createNativeQuery(DUE_FOR_INQUIRY, Object[].class)
                .setParameter("batch", config.batchSize())
                .getResultList()
                .flatMap(rows -> each(rows, row -> {
                    UUID id = (UUID) row[0];
                    return commands.inquire(session, id, (String) row[1])
                            .flatMap(x -> scheduleNext(session, id, ((Number) row[2]).intValue()));
                }));
    }

    private Uni<Void> scheduleNext(Mutiny.Session session, UUID id, int attemptsSoFar) {
        return session.createNativeQuery(SCHEDULE_NEXT)
                .setParameter("ms", backoffMs(attemptsSoFar))
                .setParameter("id", id)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** initial × 2^attempts, capped, with ±20 % jitter so replicas' and transfers' inquiries spread out. */
    long backoffMs(int attemptsSoFar) {
        double base = Math.min(config.inquiryBackoffMaxMs(),
                config.inquiryBackoffInitialMs() * Math.pow(2, Math.min(attemptsSoFar, 30)));
        return Math.round(base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    private static <T> Uni<Void> each(List<T> items, java.util.function.Function<T, Uni<Void>> step) {
        // sequential: one reactive session must not run statements concurrently
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T item : items) {
            chain = chain.flatMap(x -> step.apply(item));
        }
        return chain;
    }
}
