package io.payout.platform.db;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Actions (metrics, mostly) that describe a database fact and so must happen only once that fact is committed: a
 * rolled-back transition or a retried message must not be counted. {@link #transaction} opens a Panache transaction
 * and runs what {@link #run} collected inside it after the commit; on a rollback it drops them.
 * <p>
 * The actions live in the current (duplicated) Vert.x context, which a reactive transaction never leaves. Outside
 * such a transaction {@link #run} runs the action at once (as before), so nothing is ever silently lost.
 */
public final class AfterCommit {
    private static final Logger LOG = Logger.getLogger(AfterCommit.class);
    private static final String KEY = "payout.after-commit";

    private AfterCommit() {
    }

    /** Runs {@code action} after the enclosing {@link #transaction} commits; at once when there is none. */
    public static void run(Runnable action) {
        List<Runnable> pending = pending();
        if (pending == null) {
            action.run();
        } else {
            pending.add(action);
        }
    }

    /** {@code Panache.withTransaction(work)}, then the actions collected inside it, only if it committed. */
    public static <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null || pending() != null) {
                return Panache.withTransaction(work); // nested: the outer transaction owns the actions
            }
            List<Runnable> pending = new ArrayList<>();
            context.putLocal(KEY, pending);
            return Panache.withTransaction(work)
                    .onTermination().invoke(() -> context.removeLocal(KEY))
                    .invoke(() -> pending.forEach(AfterCommit::safely));
        });
    }

    /** A failing action (a metric) must not turn a committed transaction into a failure that gets retried. */
    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warnf("after-commit action failed: %s", e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Runnable> pending() {
        Context context = Vertx.currentContext();
        return context == null ? null : (List<Runnable>) context.getLocal(KEY);
    }
}
