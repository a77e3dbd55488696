package io.payout.ledger.reconciliation;

import io.payout.ledger.config.ReconciliationConfig;
import io.payout.ledger.reconciliation.Reconciliations.Run;
import io.payout.platform.outbox.Ids;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one reconciliation of a value date (SPEC §4):
 * <ol>
 *   <li>stream the bank's statement from bank-adapter page by page ({@code page-size} lines at a time), storing each
 *       page's lines as they come (one transaction per page, which also renews the run's heartbeat) — memory holds
 *       one page, whatever the day's volume;</li>
 *   <li>match the stored lines against the ledger's settles in the database, in one pass
 *       ({@link Reconciliations#complete}), and complete the run.</li>
 * </ol>
 * Any failure ends the run FAILED with the reason; the lines received so far are kept with it. A re-run of a date is
 * a new run: the report's content depends only on the statement and the ledger, so it comes out the same.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int FAILURE_LENGTH_MAX = 2000;

    /** How a run ended: the run as stored, and why it failed (null when it completed). */
    public record Outcome(Run run, Throwable failure) {
    }

    private final Reconciliations store;
    private final StatementClient statements;
    private final ServiceToken token;
    private final ReconciliationMetrics metrics;
    private final ReconciliationConfig config;

    public Reconciler(Reconciliations store, StatementClient statements, ServiceToken token,
                      ReconciliationMetrics metrics, ReconciliationConfig config) {
        this.store = store;
        this.statements = statements;
        this.token = token;
        this.metrics = metrics;
        this.config = config;
    }

    /** A manual run of {@code date}, now. */
    public Uni<Outcome> manual(LocalDate date, String requestedBy, String reason) {
        UUID id = Ids.uuidV7();
        return store.start(id, date, requestedBy, reason).flatMap(x -> execute(id, date, Reconciliations.MANUAL));
    }

    /** Executes a run whose row exists and is RUNNING (a manual one just started, or a claimed scheduled one). */
    Uni<Outcome> execute(UUID id, LocalDate date, String trigger) {
        long started = System.nanoTime();
        AtomicInteger page = new AtomicInteger();
        AtomicLong seq = new AtomicLong();
        // iterative, not recursive: a long statement must not grow the stack
        Uni<Void> fetched = Multi.createBy().repeating().uni(() -> nextPage(id, date, page, seq))
                .whilst(hasMore -> hasMore)
                .collect().last()
                .replaceWithVoid();
        return fetched
                .flatMap(x -> store.complete(id, date, config.zone()))
                .map(x -> (Throwable) null)
                .onFailure().recoverWithUni(failure -> store.fail(id, describe(failure))
                        .onFailure().invoke(e -> LOG.errorf(e, "reconciliation %s: could not record its failure", id))
                        .onFailure().recoverWithNull()
                        .replaceWith(failure))
                .flatMap(failure -> store.find(id).map(run -> new Outcome(run.orElseThrow(), failure)))
                .call(outcome -> finished(outcome, trigger, Duration.ofNanos(System.nanoTime() - started)));
    }

    /** Fetches and stores page {@code page}; true when the statement has more. */
    private Uni<Boolean> nextPage(UUID id, LocalDate date, AtomicInteger page, AtomicLong seq) {
        int n = page.getAndIncrement();
        if (n >= config.pagesMax()) {
            return Uni.createFrom().failure(new StatementUnavailable(502, "the statement of " + date + " has more than "
                    + config.pagesMax() + " pages of " + config.pageSize() + " lines (payout.ledger.reconciliation"
                    + ".pages-max)"));
        }
        return Uni.createFrom().item(token::bearer)
                .flatMap(bearer -> statements.page(date, n, config.pageSize(), bearer))
                .call(p -> store.storePage(id, seq.get(), p.lines()))
                .invoke(p -> seq.addAndGet(p.lines().size()))
                .map(StatementClient.Page::hasMore);
    }

    private Uni<Void> finished(Outcome outcome, String trigger, Duration took) {
        Run run = outcome.run();
        if (outcome.failure() instanceof Reconciliations.RunEnded) {
            // whoever ended it counted it
            LOG.warnf("reconciliation %s of %s: %s", run.id(), run.date(), outcome.failure().getMessage());
            return Uni.createFrom().voidItem();
        }
        metrics.finished(trigger, run.status(), took);
        if (!run.completed()) {
            LOG.warnf("reconciliation %s of %s (%s) FAILED after %d ms: %s", run.id(), run.date(), trigger,
                    took.toMillis(), run.failure());
            return Uni.createFrom().voidItem();
        }
        LOG.infof("reconciliation %s of %s (%s) completed in %d ms: %d bank lines, %d settles, %d matched, "
                        + "mismatches %s", run.id(), run.date(), trigger, took.toMillis(), run.bankLines(),
                run.ledgerSettles(), run.matched(), run.counts());
        return refreshGauge();
    }

    /** Sets the mismatch gauge from the latest completed run in the database (whichever replica ran it). */
    public Uni<Void> refreshGauge() {
        return store.latestCompleted()
                .invoke(latest -> latest.ifPresent(run -> metrics.latestCompleted(run.counts())))
                .onFailure().invoke(e -> LOG.warnf("could not read the latest reconciliation: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static String describe(Throwable failure) {
        String text = failure instanceof StatementUnavailable || failure instanceof Reconciliations.RunEnded
                ? failure.getMessage()
                : "internal error: " + failure;
        return text.length() <= FAILURE_LENGTH_MAX ? text : text.substring(0, FAILURE_LENGTH_MAX);
    }
}
