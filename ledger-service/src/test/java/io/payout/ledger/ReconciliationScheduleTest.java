package io.payout.ledger;

import io.payout.ledger.reconciliation.Reconciler.Outcome;
import io.payout.ledger.reconciliation.ReconciliationSchedule;
import io.payout.platform.schedule.Periodic;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.payout.ledger.Recon.line;
import static io.payout.ledger.Recon.ref;
import static io.payout.ledger.Recon.settle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily schedule, driven by hand: each "tick" is exactly what every replica's timer runs
 * ({@link ReconciliationSchedule#tick}), at an instant the test chooses, on a fresh Vert.x context as the timer's.
 * Concurrent ticks stand for replicas. Each test owns its value dates.
 */
@QuarkusTest
@WithTestResource(BankAdapterStub.class)
class ReconciliationScheduleTest {
    @Inject
    ReconciliationSchedule schedule;

    @Inject
    Vertx vertx;

    /** 07:00 in the reconciliation zone on the day after {@code date}: {@code date} is due. */
    private static Instant morningAfter(LocalDate date) {
        return date.plusDays(1).atTime(7, 0).atZone(Recon.ZONE).toInstant();
    }

    private Optional<Outcome> tick(Instant now) {
        return Periodic.onSafeContext(vertx, () -> schedule.tick(now)).await().atMost(Duration.ofSeconds(60));
    }

    private static Map<String, Object> claimOf(LocalDate date) {
        List<Map<String, Object>> rows = Rows.query(ServiceTestResource.database(),
                "select state, attempts, reconciliation_id::text as run from reconciliation_schedule where value_date = ?::date",
                date.toString());
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    @Test
    void yesterdayIsDueFromRunAtInTheReconciliationZone() {
        LocalDate day = LocalDate.of(2025, 3, 10);
        Instant justBefore = day.plusDays(1).atTime(LocalTime.of(5, 59, 59)).atZone(Recon.ZONE).toInstant();
        Instant atRunAt = day.plusDays(1).atTime(LocalTime.of(6, 0)).atZone(Recon.ZONE).toInstant();

        assertThat(schedule.due(justBefore)).isEmpty();
        assertThat(schedule.due(atRunAt)).contains(day);
        // 23:30 UTC on the 10th is already 08:30 on the 11th in Seoul
        assertThat(schedule.due(Instant.parse("2025-03-10T23:30:00Z"))).contains(day);

        assertThat(tick(justBefore)).isEmpty();
        assertThat(Recon.runsOf(day)).isZero();
        assertThat(BankAdapterStub.calls(day)).isZero();
    }

    @Test
    void concurrentTicksOfSeveralReplicasRunADateExactlyOnce() throws Exception {
        LocalDate day = LocalDate.of(2025, 3, 11);
        String a = ref("SCHED");
        String b = ref("SCHED");
        settle(a, 100, day);
        settle(b, 200, day);
        BankAdapterStub.statement(day, List.of(line(a, 100), line(b, 200)));
        double scheduled = Recon.metric("payout_reconciliation_runs_total", "status=\"COMPLETED\",trigger=\"SCHEDULED\"");

        List<Optional<Outcome>> outcomes = Concurrently.run(8, () -> tick(morningAfter(day)));

        List<Outcome> ran = outcomes.stream().flatMap(Optional::stream).toList();
        assertThat(ran).singleElement().satisfies(o -> {
            assertThat(o.failure()).isNull();
            assertThat(o.run().status()).isEqualTo("COMPLETED");
            assertThat(o.run().trigger()).isEqualTo("SCHEDULED");
            assertThat(o.run().requestedBy()).isEqualTo("schedule");
            assertThat(o.run().matched()).isEqualTo(2);
        });
        assertThat(Recon.runsOf(day)).isEqualTo(1);
        assertThat(claimOf(day)).containsEntry("state", "COMPLETED").containsEntry("attempts", 1)
                .containsEntry("run", ran.getFirst().run().id().toString());
        assertThat(BankAdapterStub.calls(day)).isEqualTo(1);
        // later ticks (any replica) find it done
        assertThat(Concurrently.run(3, () -> tick(morningAfter(day).plusSeconds(3600)))).allMatch(Optional::isEmpty);
        assertThat(Recon.runsOf(day)).isEqualTo(1);
        assertThat(Recon.metric("payout_reconciliation_runs_total", "status=\"COMPLETED\",trigger=\"SCHEDULED\""))
                .isEqualTo(scheduled + 1);
        // the scheduled report reads like any other
        Ledger.get(Ledger.ops(), "/v1/reconciliations/" + ran.getFirst().run().id()).then().statusCode(200)
                .body("trigger", org.hamcrest.Matchers.equalTo("SCHEDULED"))
                .body("requested_by", org.hamcrest.Matchers.equalTo("schedule"));
    }

    @Test
    void aClaimWhoseRunnerDiedIsTakenOverButALiveOneIsNot() throws SQLException {
        LocalDate day = LocalDate.of(2025, 3, 12);
        String a = ref("TAKE");
        settle(a, 100, day);
        BankAdapterStub.statement(day, List.of(line(a, 100)));
        // another replica claimed the date and is running it (its heartbeat is fresh)
        UUID dead = UUID.randomUUID();
        sql("insert into reconciliations (id, value_date, trigger, status, requested_by) values (?::uuid, ?::date,"
                + " 'SCHEDULED', 'RUNNING', 'schedule')", dead.toString(), day.toString());
        sql("insert into reconciliation_schedule (value_date, state, reconciliation_id, attempts)"
                + " values (?::date, 'RUNNING', ?::uuid, 1)", day.toString(), dead.toString());

        assertThat(tick(morningAfter(day))).isEmpty();
        assertThat(Recon.runsOf(day)).isEqualTo(1);
        assertThat(claimOf(day)).containsEntry("state", "RUNNING").containsEntry("run", dead.toString());

        // that replica died: no heartbeat for longer than the lease (10 minutes)
        sql("update reconciliations set heartbeat_at = now() - interval '11 minutes' where id = ?::uuid",
                dead.toString());
        Optional<Outcome> took = tick(morningAfter(day));

        assertThat(took).hasValueSatisfying(o -> {
            assertThat(o.run().status()).isEqualTo("COMPLETED");
            assertThat(o.run().matched()).isEqualTo(1);
        });
        assertThat(claimOf(day)).containsEntry("state", "COMPLETED").containsEntry("attempts", 2)
                .containsEntry("run", took.get().run().id().toString());
        assertThat(Rows.count("select count(*) from reconciliations where id = ?::uuid and status = 'FAILED'"
                + " and failure like 'abandoned%'", dead.toString())).isEqualTo(1);
        assertThat(Recon.runsOf(day)).isEqualTo(2);
    }

    @Test
    void aFailedScheduledRunIsRetriedOnALaterTickAndThenCompletes() {
        LocalDate day = LocalDate.of(2025, 3, 13);
        String a = ref("RETRY");
        settle(a, 100, day);
        BankAdapterStub.failing(day, 503);

        Optional<Outcome> first = tick(morningAfter(day));
        assertThat(first).hasValueSatisfying(o -> {
            assertThat(o.run().status()).isEqualTo("FAILED");
            assertThat(o.run().failure()).contains("503");
        });
        assertThat(claimOf(day)).containsEntry("state", "FAILED").containsEntry("attempts", 1);

        // the bank is back
        BankAdapterStub.statement(day, List.of(line(a, 100)));
        Optional<Outcome> second = tick(morningAfter(day).plusSeconds(60));

        assertThat(second).hasValueSatisfying(o -> {
            assertThat(o.failure()).isNull();
            assertThat(o.run().status()).isEqualTo("COMPLETED");
            assertThat(o.run().matched()).isEqualTo(1);
        });
        assertThat(claimOf(day)).containsEntry("state", "COMPLETED").containsEntry("attempts", 2);
        assertThat(Rows.count("select count(*) from reconciliations where value_date = ?::date and status = 'FAILED'",
                day.toString())).isEqualTo(1);
        assertThat(tick(morningAfter(day).plusSeconds(120))).isEmpty();
        assertThat(Recon.runsOf(day)).isEqualTo(2);
    }

    @Test
    void retriesStopAtAttemptsMax() {
        LocalDate day = LocalDate.of(2025, 3, 14);
        BankAdapterStub.failing(day, 502);

        for (int i = 0; i < 5; i++) {
            assertThat(tick(morningAfter(day))).as("attempt %d", i + 1)
                    .hasValueSatisfying(o -> assertThat(o.run().status()).isEqualTo("FAILED"));
        }
        assertThat(tick(morningAfter(day))).isEmpty();

        assertThat(claimOf(day)).containsEntry("state", "FAILED").containsEntry("attempts", 5);
        assertThat(Recon.runsOf(day)).isEqualTo(5);
        assertThat(BankAdapterStub.calls(day)).isEqualTo(5);
    }

    private static void sql(String sql, Object... params) throws SQLException {
        try (Connection c = TestInfra.connect(ServiceTestResource.database());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }
}
