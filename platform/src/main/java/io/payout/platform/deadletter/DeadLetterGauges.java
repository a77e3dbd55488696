package io.payout.platform.deadletter;

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

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code payout_dead_letters_open{queue}}: kept dead letters never replayed, per consumer queue, re-read every
 * {@code gauge-interval-ms} from {@code dead_letters} (the table, not the broker's DLQ: the keeper drains the DLQ into
 * the table at once, so the table is where open work waits). A queue seen once keeps its series, at 0 when all its
 * dead letters were replayed. The table is shared by the service's replicas: aggregate with max.
 */
@ApplicationScoped
public class DeadLetterGauges {
    private static final String READ = "select queue, count(*) as open from dead_letters where replay_count = 0 group by queue";

    private final Pool pool;
    private final DeadLetterConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();
    private Periodic periodic;

    public DeadLetterGauges(Pool pool, DeadLetterConfig config, Vertx vertx, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    void start(@Observes StartupEvent ev) {
        periodic = Periodic.start(vertx, "dead-letter gauge", config.gaugeIntervalMs(), this::refresh);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (periodic != null) {
            periodic.stop();
        }
    }

    /** Re-reads the gauge (also how tests refresh it without waiting for the timer). */
    public Uni<Void> refresh() {
        return pool.query(READ).execute().invoke(rows -> {
            Set<String> seen = new HashSet<>();
            for (Row row : rows) {
                String queue = row.getString("queue");
                seen.add(queue);
                gauge(queue).set(row.getLong("open"));
            }
            open.forEach((queue, value) -> {
                if (!seen.contains(queue)) {
                    value.set(0);
                }
            });
        }).replaceWithVoid();
    }

    private AtomicLong gauge(String queue) {
        return open.computeIfAbsent(queue, q -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("payout_dead_letters_open", value, AtomicLong::get)
                    .description("Dead letters kept and never replayed, by the consumer queue they failed on")
                    .tag("queue", q)
                    .register(registry);
            return value;
        });
    }
}
