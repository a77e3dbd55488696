package io.payout.platform.schedule;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a reactive task every {@code intervalMs}, each run on a fresh safe duplicated Vert.x context (what Hibernate
 * Reactive/Panache require), never overlapping itself: a run still going when the timer fires makes that tick a no-op.
 */
public final class Periodic {
    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private final Vertx vertx;
    private final String name;
    private final Supplier<Uni<Void>> task;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    private Periodic(Vertx vertx, String name, Supplier<Uni<Void>> task) {
        this.vertx = vertx;
        this.name = name;
        this.task = task;
    }

    public static Periodic start(Vertx vertx, String name, long intervalMs, Supplier<Uni<Void>> task) {
        Periodic p = new Periodic(vertx, name, task);
        p.timerId = vertx.setPeriodic(intervalMs, id -> p.tick());
        return p;
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        onSafeContext(vertx, task).subscribe().with(
                done -> running.set(false),
                failure -> {
                    running.set(false);
                    LOG.warnf("%s failed, will run again: %s", name, failure.toString());
                });
    }

    /** Runs the task once on a fresh safe duplicated context (also how tests drive a periodic task by hand). */
    public static <T> Uni<T> onSafeContext(Vertx vertx, Supplier<Uni<T>> task) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(emitter -> context.runOnContext(v -> task.get().subscribe().with(
                emitter::complete, emitter::fail)));
    }
}
