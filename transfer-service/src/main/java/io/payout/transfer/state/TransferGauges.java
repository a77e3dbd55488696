package io.payout.transfer.state;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.platform.schedule.Periodic;
import io.payout.transfer.config.TransferConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code payout_transfers{state}} (transfers now in each in-flight state: PENDING, DISPATCHED, EXPIRED) and
 * {@code payout_transfers_oldest_seconds{state}} (how long the longest-waiting of them has been in that state; 0 when
 * none) — what "stuck transfers" alerts on. Terminal states are not counted here: their number only grows, and
 * counting them would scan the whole table; their rate is {@code payout_transfer_transitions_total{to}}.
 * Re-read every {@code payout.transfer.gauge-interval-ms}; every replica reports the same numbers (aggregate with max).
 */
@ApplicationScoped
public class TransferGauges {
    private static final String READ = """
            select state, count(*) as n, coalesce(extract(epoch from now() - min(updated_at)), 0)::float8 as oldest
              from transfers where state in ('PENDING', 'DISPATCHED', 'EXPIRED') group by state""";

    private final Pool pool;
    private final Vertx vertx;
    private final TransferConfig config;
    private final Map<TransferState, AtomicLong> count = new EnumMap<>(TransferState.class);
    private final Map<TransferState, AtomicLong> oldestMs = new EnumMap<>(TransferState.class);
    private Periodic periodic;

    public TransferGauges(Pool pool, Vertx vertx, TransferConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        for (TransferState state : TransferState.values()) {
            if (state.terminal()) {
                continue;
            }
            AtomicLong n = new AtomicLong();
            AtomicLong oldest = new AtomicLong();
            count.put(state, n);
            oldestMs.put(state, oldest);
            Gauge.builder("payout_transfers", n, AtomicLong::get)
                    .description("Transfers now in an in-flight state")
                    .tag("state", state.name()).register(registry);
            Gauge.builder("payout_transfers_oldest_seconds", oldest, v -> v.get() / 1000.0)
                    .description("How long the longest-waiting transfer has been in this in-flight state (0: none)")
                    .tag("state", state.name()).register(registry);
        }
    }

    void start(@Observes StartupEvent ev) {
        periodic = Periodic.start(vertx, "transfer gauges", config.gaugeIntervalMs(), this::refresh);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** Re-reads the gauges (also how tests refresh them without waiting for the timer). */
    public Uni<Void> refresh() {
        return pool.query(READ).execute().invoke(rows -> {
            Map<TransferState, Row> byState = new EnumMap<>(TransferState.class);
            rows.forEach(row -> byState.put(TransferState.valueOf(row.getString("state")), row));
            count.forEach((state, n) -> {
                Row row = byState.get(state);
                n.set(row == null ? 0 : row.getLong("n"));
                oldestMs.get(state).set(row == null ? 0 : Math.round(row.getDouble("oldest") * 1000));
            });
        }).replaceWithVoid();
    }
}
