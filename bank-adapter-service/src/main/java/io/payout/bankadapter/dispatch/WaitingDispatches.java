package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.payout.bankadapter.bank.BankClient;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.config.BankConfig;
import io.payout.bankadapter.dispatch.Dispatches.Due;
import io.payout.bankadapter.outcome.Reporter;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The retry loop for dispatches the bank could not be called for (circuit breaker open, bulkhead full): every
 * {@code wait-poll-interval-ms} each instance claims up to {@code wait-batch-size} WAITING rows whose
 * {@code next_attempt_at} has come ({@link Dispatches#claimDue}: one statement, {@code FOR UPDATE SKIP LOCKED}, so
 * replicas never claim the same row, and the claim counts the call before it is made), calls the bank with each
 * row's stored request — the same ref — and records the verdict exactly as a message-driven dispatch does
 * ({@link Reporter}: row, outbox event, one transaction). Refused again: the row waits again, longer.
 * <p>
 * The waiting dispatches do not hold a broker message: the command was acked when the row went WAITING, so an outage
 * of any length never uses up the inbox's bounded attempts or fills the dead-letter queue.
 * <p>
 * Also keeps {@code payout_bank_dispatches_waiting} (a gauge: WAITING rows in the shared table, so every instance
 * reports the same number — aggregate with max, not sum).
 */
@ApplicationScoped
public class WaitingDispatches {
    private static final Logger LOG = Logger.getLogger(WaitingDispatches.class);

    private final Dispatches dispatches;
    private final Dispatcher dispatcher;
    private final Reporter reporter;
    private final ObjectMapper mapper;
    private final BankConfig config;
    private final Vertx vertx;
    private final Tracer tracer;
    /** How long a claimed row is ours: a whole guarded transfer call, a guarded inquiry after a DUPLICATE, a margin. */
    private final long leaseMs;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timerId = -1;

    public WaitingDispatches(Dispatches dispatches, Dispatcher dispatcher, Reporter reporter, ObjectMapper mapper,
                             BankConfig config, Vertx vertx, MeterRegistry registry, Tracer tracer) {
        this.dispatches = dispatches;
        this.dispatcher = dispatcher;
        this.reporter = reporter;
        this.mapper = mapper;
        this.config = config;
        this.vertx = vertx;
        this.tracer = tracer;
        this.leaseMs = 2 * BankClient.worstCaseCallMs(config) + 10_000;
        Gauge.builder("payout_bank_dispatches_waiting", waiting, AtomicLong::get)
                .description("Dispatches waiting because the bank could not be called (breaker open, bulkhead full)")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(config.waitPollIntervalMs(), id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** One look; never two at once in this instance (a tick that finds the previous one running does nothing). */
    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        onSafeContext(this::retryDue).subscribe().with(done -> running.set(false), failure -> {
            running.set(false);
            LOG.warnf("retrying waiting dispatches failed, will look again: %s", failure.toString());
        });
    }

    /**
     * Refreshes the gauge, claims what is due, sends each (a few at once), each on its own context and transaction;
     * again at once while whole batches come back (after an outage), so recovery is not one batch per poll.
     */
    public Uni<Void> retryDue() {
        return dispatches.countWaiting().invoke(waiting::set)
                .flatMap(n -> n == 0 ? Uni.createFrom().item(List.<Due>of())
                        : dispatches.claimDue(config.waitBatchSize(), leaseMs))
                .flatMap(due -> due.isEmpty() ? Uni.createFrom().voidItem() : sendAll(due)
                        .flatMap(x -> due.size() == config.waitBatchSize() ? retryDue() : Uni.createFrom().voidItem()));
    }

    private Uni<Void> sendAll(List<Due> due) {
        return Multi.createFrom().iterable(due)
                .onItem().transformToUni(d -> onSafeContext(() -> send(d)).onFailure().recoverWithItem(e -> {
                    // the row stays WAITING with its lease: it is due again when the lease ends
                    LOG.warnf("waiting dispatch of transfer %s not settled, due again in %d ms: %s",
                            d.transferId(), leaseMs, e.toString());
                    return null;
                }))
                .merge(config.waitConcurrency())
                .collect().asList()
                .flatMap(x -> dispatches.countWaiting().invoke(waiting::set))
                .replaceWithVoid();
    }

    private Uni<Void> send(Due d) {
        TransferRequest request;
        try {
            request = mapper.treeToValue(d.request(), TransferRequest.class);
        } catch (Exception e) {
            return Uni.createFrom().failure(new IllegalStateException("unreadable dispatch request", e));
        }
        // continue the trace of the command that had to wait: the bank call's span and the event's traceparent join
        // it (the context lives in this fresh Vert.x context, which is discarded afterwards)
        Span span = tracer.spanBuilder("bank.dispatch waiting")
                .setParent(TraceIds.contextOf(d.traceparent()))
                .setAttribute("payout.transfer_id", d.transferId().toString())
                .setAttribute("payout.external_ref", d.externalRef())
                .setAttribute("payout.call", d.calls())
                .startSpan();
        Scope scope = span.makeCurrent();
        LOG.infof("calling the bank for waiting dispatch of transfer %s (call %d, ref %s)", d.transferId(), d.calls(),
                d.externalRef());
        Context context = Vertx.currentContext();
        return dispatcher.call(request)
                // the guard's timers and retries complete elsewhere; the transaction belongs on this context
                .emitOn(task -> context.runOnContext(ignored -> task.run()))
                .flatMap(verdict -> Panache.withTransaction(() -> Panache.getSession().flatMap(session ->
                        reporter.report(session, d.transferId(), d.externalRef(), verdict, -1))))
                .onTermination().invoke((ignored, failure, cancelled) -> {
                    if (failure != null) {
                        span.recordException(failure);
                    }
                    span.end();
                    scope.close();
                });
    }

    /** Runs on a fresh, safe duplicated Vert.x context: what Hibernate Reactive (Panache) needs, one per transaction. */
    private <T> Uni<T> onSafeContext(Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            uni.subscribe().with(emitter::complete, emitter::fail);
        }));
    }
}
