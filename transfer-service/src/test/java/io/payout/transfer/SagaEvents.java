package io.payout.transfer;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.get;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.post;
import static io.payout.transfer.TransferApi.validBody;
import static org.awaitility.Awaitility.await;

/**
 * Drives transfers through the saga by publishing the other services' events on the real broker, and reads back
 * what the saga did.
 */
final class SagaEvents {
    static final Duration WAIT = Duration.ofSeconds(20);

    private SagaEvents() {
    }

    static String accepted() {
        return post(CLIENT_A, newKey(), validBody()).then().statusCode(201).extract().path("id");
    }

    static String holdPlaced() {
        String id = accepted();
        publish("ledger.hold-placed", "{\"transfer_id\":\"" + id + "\"}");
        awaitOutbox(id, "bank.dispatch", 1);
        return id;
    }

    static String dispatched(String ref) {
        String id = holdPlaced();
        publish("bank.dispatched", "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"" + ref + "\",\"outcome\":\"ACCEPTED\"}");
        awaitState(id, "DISPATCHED");
        return id;
    }

    static String result(String id, String ref, String outcome, String source) {
        return "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"" + ref + "\",\"outcome\":\"" + outcome
                + "\",\"source\":\"" + source + "\"}";
    }

    /** Publishes as another service's relay would; returns the message id. */
    static String publish(String type, String payload) {
        String messageId = UUID.randomUUID().toString();
        BrokerProbe.publish(ServiceTestResource.vhost(), type, messageId,
                BrokerProbe.envelope(messageId, type, "test", payload));
        return messageId;
    }

    static String state(String id) {
        return get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200).extract().path("state");
    }

    static List<String> history(String id) {
        return get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200).extract().jsonPath()
                .getList("history.state");
    }

    static long outbox(String id, String type) {
        return Rows.count("select count(*) from outbox where aggregate_id = ? and type = ?", id, type);
    }

    static void awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> state.equals(state(id)));
    }

    static void awaitOutbox(String id, String type, long count) {
        await().atMost(WAIT).until(() -> outbox(id, type) == count);
    }

    /** Waits until the saga has consumed (committed) this message. */
    static void awaitConsumed(String messageId) {
        await().atMost(WAIT).until(() ->
                Rows.count("select count(*) from inbox where message_id = ?::uuid", messageId) == 1);
    }
}
