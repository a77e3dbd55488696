package io.payout.transfer;

import io.payout.platform.schedule.Periodic;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.payout.transfer.saga.ResultSweeper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.payout.transfer.SagaEvents.WAIT;
import static io.payout.transfer.SagaEvents.awaitOutbox;
import static io.payout.transfer.SagaEvents.awaitState;
import static io.payout.transfer.SagaEvents.dispatched;
import static io.payout.transfer.SagaEvents.history;
import static io.payout.transfer.SagaEvents.outbox;
import static io.payout.transfer.SagaEvents.publish;
import static io.payout.transfer.SagaEvents.result;
import static io.payout.transfer.SagaEvents.state;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The sweeper for late results (test profile: expire after 300 ms, first re-inquiry after ~1 s). The periodic
 * timer is off in tests; each test sweeps by hand on a proper Vert.x context, as the timer would.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ResultSweeperTest {
    @Inject
    ResultSweeper sweeper;
    @Inject
    Vertx vertx;

    private void sweep() {
        Periodic.onSafeContext(vertx, sweeper::sweep).await().atMost(Duration.ofSeconds(20));
    }

    private static String expired(String ref) throws InterruptedException {
        String id = dispatched(ref);
        Thread.sleep(400); // past expire-after-ms
        return id;
    }

    @Test
    void aDispatchedTransferWithoutResultExpiresAndTheBankIsAsked() throws Exception {
        String id = expired("REF-EXP-" + UUID.randomUUID().toString().substring(0, 6));
        sweep();

        assertThat(state(id)).isEqualTo("EXPIRED");
        assertThat(history(id)).containsExactly("PENDING", "PENDING", "DISPATCHED", "EXPIRED");
        assertThat(outbox(id, "bank.inquiry")).isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and type = 'bank.inquiry'"
                + " and payload->>'external_ref' like 'REF-EXP-%'", id)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from transfers where id = ?::uuid and inquiry_attempts = 1"
                + " and next_inquiry_at > now()", id)).isEqualTo(1);
    }

    @Test
    void anExpiredTransferIsAskedAgainWithBackoffUntilTheInquiryAnswers() throws Exception {
        String id = expired("REF-BACKOFF");
        sweep();
        sweep(); // immediately again: the back-off has not run out
        assertThat(outbox(id, "bank.inquiry")).isEqualTo(1);

        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            sweep();
            return outbox(id, "bank.inquiry") == 2;
        });
        assertThat(Rows.count("select count(*) from transfers where id = ?::uuid and inquiry_attempts = 2", id))
                .isEqualTo(1);

        publish("bank.result", result(id, "REF-BACKOFF", "SUCCEEDED", "INQUIRY"));
        awaitState(id, "SETTLED");
        awaitOutbox(id, "ledger.settle", 1);
        Thread.sleep(2500); // longer than the next back-off (2 s ± 20 %)
        sweep();
        assertThat(outbox(id, "bank.inquiry")).as("no inquiries once final").isEqualTo(2);
    }

    @Test
    void aLateWebhookSettlesAnExpiredTransfer() throws Exception {
        String id = expired("REF-LATE");
        sweep();
        publish("bank.result", result(id, "REF-LATE", "SUCCEEDED", "WEBHOOK"));
        awaitState(id, "SETTLED");
        assertThat(history(id)).endsWith("EXPIRED", "SETTLED");
    }

    @Test
    void anInquiryAnsweringFailedFailsAnExpiredTransferAndReleasesTheHold() throws Exception {
        String id = expired("REF-NOTFOUND");
        sweep();
        publish("bank.result", "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"REF-NOTFOUND\",\"outcome\":\"FAILED\","
                + "\"source\":\"INQUIRY\",\"reason\":\"NOT_FOUND_AT_BANK\"}");
        awaitState(id, "FAILED");
        awaitOutbox(id, "ledger.release", 1);
    }

    @Test
    void concurrentSweepsLikeReplicasExpireEachTransferOnce() throws Exception {
        String a = expired("REF-RA");
        String b = expired("REF-RB");
        Concurrently.run(4, () -> {
            sweep();
            return null;
        });
        for (String id : new String[]{a, b}) {
            assertThat(history(id).stream().filter("EXPIRED"::equals).count()).isEqualTo(1);
            assertThat(outbox(id, "bank.inquiry")).isEqualTo(1);
        }
    }

    @Test
    void opsSeeStuckTransfersOlderThanTheThreshold() throws Exception {
        String old = expired("REF-STUCK");
        sweep();
        String ops = "Bearer " + Tokens.forClient("ops-1", "ops");

        given().header("Authorization", ops).when().get("/v1/ops/transfers/stuck?older_than=PT0.1S")
                .then().statusCode(200).body("items.id", hasItem(old))
                .body("items.find { it.id == '" + old + "' }.state", equalTo("EXPIRED"))
                .body("items.find { it.id == '" + old + "' }.inquiry_attempts", equalTo(1));
        given().header("Authorization", ops).when().get("/v1/ops/transfers/stuck?older_than=PT1H")
                .then().statusCode(200).body("items.id", not(hasItem(old)));
        given().header("Authorization", ops).when().get("/v1/ops/transfers/stuck?older_than=5 minutes")
                .then().statusCode(400).body("errors[0].field", equalTo("older_than"));
        given().header("Authorization", ops).when().get("/v1/ops/transfers/stuck?older_than=PT1M&size=100000")
                .then().statusCode(400).body("errors[0].field", equalTo("size"));
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a"))
                .when().get("/v1/ops/transfers/stuck?older_than=PT1M").then().statusCode(403);
    }
}
