package io.payout.transfer;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.DeadLetterRows.Kept;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.payout.transfer.SagaEvents.WAIT;
import static io.payout.transfer.SagaEvents.accepted;
import static io.payout.transfer.SagaEvents.awaitConsumed;
import static io.payout.transfer.SagaEvents.awaitOutbox;
import static io.payout.transfer.SagaEvents.awaitState;
import static io.payout.transfer.SagaEvents.dispatched;
import static io.payout.transfer.SagaEvents.history;
import static io.payout.transfer.SagaEvents.holdPlaced;
import static io.payout.transfer.SagaEvents.outbox;
import static io.payout.transfer.SagaEvents.publish;
import static io.payout.transfer.SagaEvents.result;
import static io.payout.transfer.SagaEvents.state;
import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga driven through the real broker: events published as the other services publish them, effects read from
 * the transfer, its history, the outbox and the anomalies.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferSagaTest {

    @Test
    void holdPlacedSendsTheDispatchCommand() {
        String id = accepted();
        publish("ledger.hold-placed", "{\"transfer_id\":\"" + id + "\"}");

        awaitOutbox(id, "bank.dispatch", 1);
        assertThat(state(id)).isEqualTo("PENDING");
        assertThat(Rows.count("select count(*) from transfers where id = ?::uuid and hold_placed", id)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and type = 'bank.dispatch'"
                + " and payload->>'account_number' = '12345678901234' and payload->>'client_request_id' is not null"
                + " and payload->>'value_date' is not null", id)).isEqualTo(1);
    }

    @Test
    void holdRejectedFailsAndNothingReachesTheBank() {
        String id = accepted();
        publish("ledger.hold-rejected", "{\"transfer_id\":\"" + id + "\",\"reason\":\"INSUFFICIENT_FUNDS\"}");

        awaitState(id, "FAILED");
        get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200)
                .body("failure_reason", org.hamcrest.Matchers.equalTo("INSUFFICIENT_FUNDS"))
                .body("processing", org.hamcrest.Matchers.equalTo(false));
        assertThat(outbox(id, "bank.dispatch")).isZero();
        assertThat(outbox(id, "ledger.release")).as("no hold to release").isZero();
    }

    @Test
    void successfulTransferSettlesAndSendsSettleWithTheRef() {
        String id = dispatched("REF-HAPPY-" + id8());
        publish("bank.result", result(id, "REF-HAPPY", "SUCCEEDED", "WEBHOOK"));

        awaitState(id, "SETTLED");
        awaitOutbox(id, "ledger.settle", 1);
        assertThat(history(id)).containsExactly("PENDING", "PENDING", "DISPATCHED", "SETTLED");
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and type = 'ledger.settle'"
                + " and payload->>'external_ref' like 'REF-HAPPY-%' and (payload->>'amount_minor')::bigint = 15000", id))
                .isEqualTo(1);
    }

    @Test
    void resultBeforeDispatchedSettlesAndTheLateDispatchedIsANoOp() {
        String id = holdPlaced();
        publish("bank.result", result(id, "REF-EARLY", "SUCCEEDED", "WEBHOOK"));
        awaitState(id, "SETTLED");
        String late = publish("bank.dispatched",
                "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"REF-EARLY\",\"outcome\":\"ACCEPTED\"}");

        awaitConsumed(late);
        assertThat(state(id)).isEqualTo("SETTLED");
        assertThat(history(id)).containsExactly("PENDING", "PENDING", "SETTLED");
        assertThat(outbox(id, "ledger.settle")).isEqualTo(1);
    }

    @Test
    void aRedeliveredEventHasNoSecondEffectEvenConcurrently() throws Exception {
        String id = accepted();
        String messageId = UUID.randomUUID().toString();
        String envelope = BrokerProbe.envelope(messageId, "ledger.hold-placed", id, "{\"transfer_id\":\"" + id + "\"}");
        Concurrently.run(5, () -> {
            BrokerProbe.publish(ServiceTestResource.vhost(), "ledger.hold-placed", messageId, envelope);
            return null;
        });

        awaitOutbox(id, "bank.dispatch", 1);
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> outbox(id, "bank.dispatch") == 1);
        assertThat(Rows.count("select count(*) from inbox where message_id = ?::uuid", messageId)).isEqualTo(1);
        assertThat(history(id)).containsExactly("PENDING", "PENDING");
    }

    @Test
    void everyEventTypeRepublishedTwiceActsOnce() {
        String id = accepted();
        for (String[] event : List.of(
                new String[]{"ledger.hold-placed", "{\"transfer_id\":\"" + id + "\"}"},
                new String[]{"bank.dispatched", "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"R2\",\"outcome\":\"UNKNOWN\"}"},
                new String[]{"bank.result", result(id, "R2", "SUCCEEDED", "INQUIRY")})) {
            String messageId = UUID.randomUUID().toString();
            String envelope = BrokerProbe.envelope(messageId, event[0], id, event[1]);
            BrokerProbe.publish(ServiceTestResource.vhost(), event[0], messageId, envelope);
            BrokerProbe.publish(ServiceTestResource.vhost(), event[0], messageId, envelope);
            awaitConsumed(messageId); // in saga order, as the real services produce them
        }
        awaitState(id, "SETTLED");
        assertThat(history(id)).containsExactly("PENDING", "PENDING", "DISPATCHED", "SETTLED");
        assertThat(outbox(id, "bank.dispatch")).isEqualTo(1);
        assertThat(outbox(id, "ledger.settle")).isEqualTo(1);
    }

    @Test
    void aContradictingResultAfterSettledIsRecordedAsAnAnomalyAndChangesNothing() {
        String id = dispatched("REF-C");
        publish("bank.result", result(id, "REF-C", "SUCCEEDED", "RESPONSE"));
        awaitState(id, "SETTLED");
        publish("bank.result", result(id, "REF-C", "FAILED", "WEBHOOK"));

        await().atMost(WAIT).until(() -> Rows.count(
                "select count(*) from anomalies where transfer_id = ?::uuid and kind = 'CONTRADICTING_RESULT'", id) == 1);
        assertThat(state(id)).isEqualTo("SETTLED");
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + io.payout.testsupport.Tokens.forClient("ops-1", "ops"))
                .when().get("/v1/ops/anomalies?transfer_id=" + id)
                .then().statusCode(200)
                .body("items.size()", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].kind", org.hamcrest.Matchers.equalTo("CONTRADICTING_RESULT"));
        get(CLIENT_A, "/v1/ops/anomalies").then().statusCode(403)
                .contentType("application/problem+json");
        assertThat(outbox(id, "ledger.release")).isZero();
        assertThat(outbox(id, "bank.inquiry")).isZero();
    }

    @Test
    void aWebhookFailureIsConfirmedByInquiryBeforeReleasing() {
        String id = dispatched("REF-W");
        publish("bank.result", result(id, "REF-W", "FAILED", "WEBHOOK"));
        awaitOutbox(id, "bank.inquiry", 1);
        assertThat(state(id)).isEqualTo("DISPATCHED");
        assertThat(outbox(id, "ledger.release")).isZero();

        publish("bank.result", result(id, "REF-W", "FAILED", "INQUIRY"));
        awaitState(id, "FAILED");
        awaitOutbox(id, "ledger.release", 1);
    }

    @Test
    void aDefinitiveRejectionFailsAndReleasesTheHold() {
        String id = holdPlaced();
        publish("bank.result", "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"REF-R\",\"outcome\":\"FAILED\","
                + "\"source\":\"RESPONSE\",\"reason\":\"INVALID_ACCOUNT\"}");
        awaitState(id, "FAILED");
        awaitOutbox(id, "ledger.release", 1);
        get(CLIENT_A, "/v1/transfers/" + id).then()
                .body("failure_reason", org.hamcrest.Matchers.equalTo("INVALID_ACCOUNT"));
    }

    @Test
    void poisonMessagesAreDeadLetteredWithTheReasonAndTheOthersKeepFlowing() {
        String vhost = ServiceTestResource.vhost();
        String unreadable = UUID.randomUUID().toString();
        BrokerProbe.publish(vhost, "bank.result", unreadable, "{not json");
        String teleported = UUID.randomUUID().toString();
        BrokerProbe.publish(vhost, "bank.result", teleported,
                BrokerProbe.envelope(teleported, "bank.teleported", "x", "{}"));
        String ghost = UUID.randomUUID().toString();
        String forGhost = publish("ledger.hold-placed", "{\"transfer_id\":\"" + ghost + "\"}");
        String id = accepted();
        publish("ledger.hold-placed", "{\"transfer_id\":\"" + id + "\"}");

        awaitOutbox(id, "bank.dispatch", 1);
        // what the dead-letter queue delivered, as the service keeps it for ops
        List<Kept> kept = List.of(DeadLetterRows.awaitMessage(unreadable), DeadLetterRows.awaitMessage(teleported),
                DeadLetterRows.awaitMessage(forGhost));
        assertThat(kept.get(0).reason()).contains("unreadable envelope");
        assertThat(kept.get(1).reason()).contains("no handler for message type 'bank.teleported'");
        assertThat(kept.get(2).reason()).contains("no transfer " + ghost);
        assertThat(kept).extracting(Kept::attempts).containsOnly(5);
        assertThat(kept).extracting(Kept::queue).containsOnly("transfer.events");
        assertThat(kept.get(0).body()).isEqualTo("{not json");
    }

    private static String id8() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
