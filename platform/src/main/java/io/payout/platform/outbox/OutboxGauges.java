package io.payout.platform.outbox;

import io.payout.platform.schedule.Periodic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code payout_outbox_backlog} (committed rows not yet published) and {@code payout_outbox_lag_seconds} (age of the
 * oldest of them; 0 when none), re-read every {@code gauge-interval-ms} from the outbox's partial index on unpublished
 * rows, so the cost stays bounded by the backlog, not the table. They are read whether or not this instance relays:
 * the table is shared by the service's replicas, so every instance reports the same numbers (aggregate with max).
 */
@ApplicationScoped
public class OutboxGauges {
    private static final String READ = """
            select count(*) as backlog,
                   coalesce(extract(epoch from now() - min(occurred_at)), 0)::float8 as lag
              from outbox where published_at is null""";

    private final Pool pool;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicReference<Double> lag = new AtomicReference<>(0.0);
    private Periodic periodic;

    public OutboxGauges(Pool pool, OutboxConfig config, Vertx vertx, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        Gauge.builder("payout_outbox_backlog", backlog, AtomicLong::get)
                .description("Outbox rows committed but not yet published to the broker")
                .register(registry);
        Gauge.builder("payout_outbox_lag_seconds", lag, AtomicReference::get)
                .description("Age of the oldest unpublished outbox row (0 when none)")
                .register(registry);
    }

    void start(@Observes StartupEvent ev) {
        periodic = Periodic.start(vertx, "outbox gauges", config.gaugeIntervalMs(), this::refresh);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** Re-reads both gauges (also how tests refresh them without waiting for the timer). */
    public Uni<Void> refresh() {
        return pool.query(READ).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            backlog.set(row.getLong("backlog"));
            lag.set(row.getDouble("lag"));
        }).replaceWithVoid();
    }
}
