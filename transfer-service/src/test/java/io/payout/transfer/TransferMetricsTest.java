package io.payout.transfer;

import io.payout.platform.outbox.OutboxGauges;
import io.payout.platform.outbox.OutboxRelay;
import io.payout.platform.outbox.RelayFailpoint;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Metrics;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.payout.transfer.state.TransferGauges;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;

import static io.payout.transfer.SagaEvents.WAIT;
import static io.payout.transfer.SagaEvents.awaitConsumed;
import static io.payout.transfer.SagaEvents.awaitState;
import static io.payout.transfer.SagaEvents.dispatched;
import static io.payout.transfer.SagaEvents.publish;
import static io.payout.transfer.SagaEvents.result;
import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.post;
import static io.payout.transfer.TransferApi.validBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * transfer-service's metrics (docs/reference/metrics.md) move when their event happens, read from its own
 * {@code /q/metrics} before and after.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferMetricsTest {
    private static final String DUPLICATES = "payout_duplicates_blocked_total";

    @Inject
    TransferGauges transferGauges;
    @Inject
    OutboxGauges outboxGauges;
    @Inject
    OutboxRelay relay;
    @Inject
    RelayFailpoint failpoint;

    @Test
    void aReplayedPostIncrementsTheIngressDuplicateCounterOnce() {
        double before = Metrics.sum(DUPLICATES, "layer=\"ingress\"", "outcome=\"replayed\"");
        String key = newKey();
        post(CLIENT_A, key, validBody()).then().statusCode(201);
        double afterFirst = Metrics.sum(DUPLICATES, "layer=\"ingress\"", "outcome=\"replayed\"");
        assertThat(afterFirst).as("a first POST is no duplicate").isEqualTo(before);

        post(CLIENT_A, key, validBody()).then().statusCode(201);

        assertThat(Metrics.sum(DUPLICATES, "layer=\"ingress\"", "outcome=\"replayed\"")).isEqualTo(before + 1);
    }

    @Test
    void aSettledTransferRecordsOneApprovalSampleAndOneDispatchedSample() {
        double approvals = Metrics.sum("payout_transfer_approval_seconds_count");
        double dispatchedSettled = Metrics.sum("payout_transfer_dispatched_seconds_count", "outcome=\"SETTLED\"");
        double transitions = Metrics.sum("payout_transfer_transitions_total", "event=\"BANK_SUCCEEDED\"", "to=\"SETTLED\"");
        String id = dispatched("REF-METRICS-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(Metrics.sum("payout_transfer_approval_seconds_count")).as("not settled yet").isEqualTo(approvals);

        publish("bank.result", result(id, "REF-METRICS", "SUCCEEDED", "WEBHOOK"));
        awaitState(id, "SETTLED");

        await().atMost(WAIT).until(() -> Metrics.sum("payout_transfer_approval_seconds_count") == approvals + 1);
        assertThat(Metrics.sum("payout_transfer_dispatched_seconds_count", "outcome=\"SETTLED\""))
                .isEqualTo(dispatchedSettled + 1);
        assertThat(Metrics.sum("payout_transfer_transitions_total", "event=\"BANK_SUCCEEDED\"", "to=\"SETTLED\""))
                .isEqualTo(transitions + 1);
        assertThat(Metrics.sum("payout_transfer_approval_seconds_bucket", "le=\"+Inf\""))
                .as("a histogram, so p95 can be computed in Prometheus").isEqualTo(approvals + 1);
    }

    @Test
    void aRedeliveredEventIsCountedAsAnInboxDuplicateAndChangesNoHistogram() {
        String id = dispatched("REF-REDELIVER-" + UUID.randomUUID().toString().substring(0, 8));
        double settled = Metrics.sum("payout_transfer_approval_seconds_count");
        String messageId = publish("bank.result", result(id, "REF-REDELIVER", "SUCCEEDED", "WEBHOOK"));
        awaitState(id, "SETTLED");
        awaitConsumed(messageId);
        await().atMost(WAIT).until(() -> Metrics.sum("payout_transfer_approval_seconds_count") == settled + 1);
        double inbox = Metrics.sum(DUPLICATES, "layer=\"inbox\"");
        double approvals = settled + 1;

        BrokerProbe.publish(ServiceTestResource.vhost(), "bank.result", messageId, BrokerProbe.envelope(messageId,
                "bank.result", "test", result(id, "REF-REDELIVER", "SUCCEEDED", "WEBHOOK")));

        await().atMost(WAIT).until(() -> Metrics.sum(DUPLICATES, "layer=\"inbox\"") == inbox + 1);
        assertThat(Metrics.sum("payout_transfer_approval_seconds_count")).isEqualTo(approvals);
    }

    @Test
    void inFlightTransfersAreCountedByStateUntilTheyLeaveIt() {
        double before = dispatchedGauge();
        String id = dispatched("REF-GAUGE-" + UUID.randomUUID().toString().substring(0, 8));

        transferGauges.refresh().await().atMost(WAIT);
        assertThat(dispatchedGauge()).isEqualTo(before + 1);
        assertThat(Metrics.sum("payout_transfers_oldest_seconds", "state=\"DISPATCHED\"")).isGreaterThanOrEqualTo(0);

        publish("bank.result", result(id, "REF-GAUGE", "FAILED", "INQUIRY"));
        awaitState(id, "FAILED");
        transferGauges.refresh().await().atMost(WAIT);
        assertThat(dispatchedGauge()).isEqualTo(before);
    }

    @Test
    void anUnpublishedOutboxRowShowsAsBacklogAndLagUntilTheRelayPublishesIt() throws Exception {
        outboxGauges.refresh().await().atMost(WAIT);
        UUID id = UUID.randomUUID();
        // the relay "crashes" after every publish until disarmed, so the row stays unpublished meanwhile
        failpoint.crashAfterPublish(Integer.MAX_VALUE);
        try {
            try (Connection c = TestInfra.connect(ServiceTestResource.database());
                 PreparedStatement ps = c.prepareStatement("insert into outbox (id, type, aggregate_id, payload,"
                         + " occurred_at) values (?, 'test.metrics', 'metrics', '{}', now() - interval '1 hour')")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            outboxGauges.refresh().await().atMost(WAIT);
            assertThat(Metrics.sum("payout_outbox_backlog")).isGreaterThanOrEqualTo(1);
            assertThat(Metrics.sum("payout_outbox_lag_seconds")).isGreaterThanOrEqualTo(3600);
        } finally {
            failpoint.crashAfterPublish(0);
        }
        relay.wake();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            outboxGauges.refresh().await().atMost(WAIT);
            return Metrics.sum("payout_outbox_lag_seconds") < 3600;
        });
    }

    private static double dispatchedGauge() {
        return Metrics.sum("payout_transfers", "state=\"DISPATCHED\"");
    }
}
