package io.payout.ledger.reconciliation;

import io.payout.ledger.config.ReconciliationConfig;
import io.payout.ledger.reconciliation.Reconciler.Outcome;
import io.payout.platform.outbox.Ids;
import io.payout.platform.schedule.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The daily reconciliation: from {@code run-at} (local time in the reconciliation zone) on, the previous day is due.
 * Every replica checks every {@code check-interval-ms}; exactly one runs a date, with no lock held anywhere:
 * <ul>
 *   <li>the first to insert the date's {@code reconciliation_schedule} row ({@code ON CONFLICT DO NOTHING}) runs it;</li>
 *   <li>a run whose heartbeat stopped for {@code lease-ms} (its replica died) is marked FAILED by whichever replica
 *       checks next, which releases its date;</li>
 *   <li>a FAILED date is retried by the first replica whose conditional UPDATE flips it back to RUNNING, at least
 *       {@code retry-delay-ms} after the failure and up to {@code attempts-max} runs in all.</li>
 * </ul>
 * A date missed entirely (every replica down from run-at to midnight) is not caught up: run it by hand.
 */
@ApplicationScoped
public class ReconciliationSchedule {
    private static final Logger LOG = Logger.getLogger(ReconciliationSchedule.class);

    private final Reconciliations store;
    private final Reconciler reconciler;
    private final ReconciliationMetrics metrics;
    private final ReconciliationConfig config;
    private final Vertx vertx;
    private Periodic periodic;

    public ReconciliationSchedule(Reconciliations store, Reconciler reconciler, ReconciliationMetrics metrics,
                                  ReconciliationConfig config, Vertx vertx) {
        this.store = store;
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        ReconciliationConfig.Schedule s = config.schedule();
        LOG.infof("reconciliation: zone=%s, page-size=%d, schedule %s (run-at=%s, check-interval-ms=%d, "
                        + "attempts-max=%d, retry-delay-ms=%d, lease-ms=%d)", config.zone(), config.pageSize(),
                s.enabled() ? "on" : "off", s.runAt(), s.checkIntervalMs(), s.attemptsMax(), s.retryDelayMs(),
                config.leaseMs());
        // what the gauge shows after a restart, before this replica runs anything
        reconciler.refreshGauge().subscribe().with(x -> { }, e -> { });
        if (s.enabled()) {
            periodic = Periodic.start(vertx, "reconciliation schedule", s.checkIntervalMs(),
                    () -> tick(Instant.now()).replaceWithVoid());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** The value date due at {@code now}: yesterday once the local time has reached run-at, else none. */
    public Optional<LocalDate> due(Instant now) {
        ZonedDateTime local = now.atZone(config.zone());
        return local.toLocalTime().isBefore(config.schedule().runAt())
                ? Optional.empty()
                : Optional.of(local.toLocalDate().minusDays(1));
    }

    /**
     * One check, exactly as every replica's timer runs it (tests call it directly, concurrently, as replicas would):
     * end abandoned runs, then claim and run the due date if no one else has it. The outcome of the run this call
     * executed, if it executed one.
     */
    public Uni<Optional<Outcome>> tick(Instant now) {
        return store.abandonStale(config.leaseMs())
                .invoke(abandoned -> abandoned.forEach(a -> {
                    LOG.warnf("reconciliation %s (%s) abandoned: no heartbeat for %d ms", a.id(), a.trigger(),
                            config.leaseMs());
                    metrics.finished(a.trigger(), "FAILED", Duration.between(a.startedAt(), Instant.now()));
                }))
                .flatMap(x -> due(now).map(this::claimAndRun).orElseGet(() -> Uni.createFrom().item(Optional.empty())))
                .call(reconciler::refreshGauge);
    }

    private Uni<Optional<Outcome>> claimAndRun(LocalDate date) {
        UUID id = Ids.uuidV7();
        ReconciliationConfig.Schedule s = config.schedule();
        return store.claim(date, id, s.attemptsMax(), s.retryDelayMs()).flatMap(claimed -> {
            if (!claimed) {
                return Uni.createFrom().item(Optional.<Outcome>empty());
            }
            LOG.infof("reconciliation %s of %s claimed by this replica (scheduled)", id, date);
            return reconciler.execute(id, date, Reconciliations.SCHEDULED).map(Optional::of);
        });
    }
}
