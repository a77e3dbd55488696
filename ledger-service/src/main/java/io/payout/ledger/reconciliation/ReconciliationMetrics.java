package io.payout.ledger.reconciliation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reconciliation metrics, registered up front so every series exists at zero before its first run.
 * <ul>
 *   <li>{@code payout_reconciliation_mismatches{kind}}: the counts of the latest COMPLETED run (by finish time), read
 *       from the database, so every replica shows the same value whoever ran it — what an alert watches.</li>
 *   <li>{@code payout_reconciliation_runs_total{trigger,status}}: runs finished here.</li>
 *   <li>{@code payout_reconciliation_duration_seconds{trigger,status}}: how long they took.</li>
 * </ul>
 */
@ApplicationScoped
public class ReconciliationMetrics {
    private static final String[] TRIGGERS = {"MANUAL", "SCHEDULED"};
    private static final String[] STATUSES = {"COMPLETED", "FAILED"};

    private final MeterRegistry registry;
    private final Map<MismatchKind, AtomicLong> latest = new EnumMap<>(MismatchKind.class);

    public ReconciliationMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (MismatchKind kind : MismatchKind.values()) {
            AtomicLong value = new AtomicLong();
            latest.put(kind, value);
            Gauge.builder("payout_reconciliation_mismatches", value, AtomicLong::get)
                    .description("Mismatches of the latest completed reconciliation, by kind")
                    .tag("kind", kind.name())
                    .register(registry);
        }
        for (String trigger : TRIGGERS) {
            for (String status : STATUSES) {
                runs(trigger, status);
                duration(trigger, status);
            }
        }
    }

    /** The latest completed run's counts (all kinds; a kind missing from the map is 0). */
    public void latestCompleted(Map<MismatchKind, Long> counts) {
        for (MismatchKind kind : MismatchKind.values()) {
            latest.get(kind).set(counts.getOrDefault(kind, 0L));
        }
    }

    public void finished(String trigger, String status, Duration took) {
        runs(trigger, status).increment();
        duration(trigger, status).record(took);
    }

    private Counter runs(String trigger, String status) {
        return Counter.builder("payout_reconciliation_runs")
                .description("Reconciliation runs finished, by trigger and status")
                .tag("trigger", trigger).tag("status", status)
                .register(registry);
    }

    private Timer duration(String trigger, String status) {
        return Timer.builder("payout_reconciliation_duration")
                .description("How long reconciliation runs took, by trigger and status")
                .tag("trigger", trigger).tag("status", status)
                .register(registry);
    }
}
