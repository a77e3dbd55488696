package io.payout.sandbox;

import com.standardwebhooks.Webhook;
import io.payout.testsupport.Concurrently;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The sandbox bank over real HTTP: execute-once, rejection, duplicates, inquiry, statements, signed webhooks. */
@QuarkusTest
@WithTestResource(WebhookReceiver.class)
class BankSandboxTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong SERIAL = new AtomicLong();

    @Inject
    SandboxConfig config;

    @Test
    void acceptedThenSucceededAfterTheSettleDelay() {
        String ref = newRef();
        post(order(ref, "12345678901234", 15000)).statusCode(200)
                .body("code", equalTo("ACCEPTED"))
                .body("bank_tran_id", equalTo(ref))
                .body("status", equalTo("PROCESSING"));
        assertThat(execution(ref)).containsEntry("count", 1).containsEntry("amount", 15000)
                .containsEntry("currency", "KRW");

        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(inquiry(ref).extract().path("status")));
        inquiry(ref).statusCode(200)
                .body("bank_tran_id", equalTo(ref))
                .body("amount", equalTo(15000))
                .body("currency", equalTo("KRW"))
                .body("reason", nullValue());
        assertThat(execution(ref)).containsEntry("count", 1).containsEntry("status", "SUCCEEDED");
    }

    @Test
    void twentyConcurrentIdenticalRequestsExecuteOnce() throws Exception {
        String ref = newRef();
        String body = order(ref, "12345678901234", 7000);
        List<String> codes = Concurrently.run(20, () -> post(body).statusCode(200).extract().<String>path("code"));

        assertThat(codes).containsOnlyOnce("ACCEPTED");
        assertThat(codes).filteredOn("DUPLICATE"::equals).hasSize(19);
        assertThat(execution(ref)).containsEntry("count", 1);
    }

    @Test
    void accountsEndingIn0000AreRejectedWithoutExecutionAndAFailedWebhook() {
        String ref = newRef();
        post(order(ref, "99990000", 5000)).statusCode(200)
                .body("code", equalTo("REJECTED"))
                .body("bank_tran_id", equalTo(ref))
                .body("reason", equalTo("INVALID_ACCOUNT"));
        inquiry(ref).statusCode(200).body("status", equalTo("FAILED")).body("reason", equalTo("INVALID_ACCOUNT"));
        assertThat(execution(ref)).containsEntry("count", 0).containsEntry("status", "FAILED");

        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());
        assertThat(WebhookReceiver.about(ref).get(0).body()).contains("\"status\":\"FAILED\"")
                .contains("\"reason\":\"INVALID_ACCOUNT\"");
    }

    @Test
    void aRepeatAnswersDuplicateWithTheOriginalAndChangesNothing() {
        String ref = newRef();
        post(order(ref, "12345678901234", 15000)).statusCode(200).body("code", equalTo("ACCEPTED"));
        // same ref, another order: the bank shows what it executed under that ref, so the caller can compare
        post(order(ref, "55555555555", 99)).statusCode(200)
                .body("code", equalTo("DUPLICATE"))
                .body("bank_tran_id", equalTo(ref))
                .body("original.source_account", equalTo("acc-1"))
                .body("original.bank_code", equalTo("004"))
                .body("original.account_number", equalTo("12345678901234"))
                .body("original.amount", equalTo(15000))
                .body("original.currency", equalTo("KRW"))
                .body("original.status", equalTo("PROCESSING"));
        assertThat(execution(ref)).containsEntry("count", 1).containsEntry("amount", 15000);
    }

    @Test
    void unreadableOrdersAre400InvalidRequestAndRecordNothing() {
        String ref = newRef();
        for (String body : List.of(
                "{not json",
                "[]",
                order("SHORT", "12345678", 1),
                order(ref, "12345678", 0),
                order(ref, "12-345678", 1),
                order(ref, "12345678", 1).replace("\"currency\":\"KRW\"", "\"currency\":\"krw\""),
                order(ref, "12345678", 1).replace("\"amount\":1", "\"amount\":\"1\""),
                order(ref, "12345678", 1).replace("\"amount\":1", "\"amount\":1.5"),
                order(ref, "12345678", 1).replace("\"source_account\":\"acc-1\",", ""))) {
            post(body).statusCode(400)
                    .body("code", equalTo("INVALID_REQUEST"))
                    .body("message", not(nullValue()));
        }
        inquiry(ref).statusCode(404);
    }

    @Test
    void unknownTransferIsNotFound() {
        inquiry(newRef()).statusCode(404).body("status", equalTo("NOT_FOUND"));
    }

    @Test
    void statementListsTheDaysSucceededWithdrawalsOnly() {
        String paid = newRef();
        String rejected = newRef();
        post(order(paid, "12345678901234", 1234)).statusCode(200);
        post(order(rejected, "12340000", 99)).statusCode(200);
        String today = LocalDate.now(config.zone()).toString();
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(inquiry(paid).extract().path("status")));

        ValidatableResponse statement = given().get("/v2/statements?date=" + today).then().statusCode(200)
                .body("date", equalTo(today));
        List<Map<String, Object>> lines = statement.extract().jsonPath().getList("lines");
        assertThat(lines).filteredOn(l -> paid.equals(l.get("bank_tran_id"))).singleElement()
                .satisfies(l -> {
                    assertThat(l).containsEntry("amount", 1234).containsEntry("currency", "KRW");
                    assertThat((String) l.get("executed_at")).isNotBlank();
                });
        assertThat(lines).extracting(l -> l.get("bank_tran_id")).doesNotContain(rejected);
        given().get("/v2/statements?date=" + LocalDate.parse(today).minusDays(1)).then().statusCode(200)
                .body("lines.bank_tran_id", not(hasItem(paid)));
        given().get("/v2/statements?date=yesterday").then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void theResultWebhookIsDeliveredAndItsSignatureVerifies() throws Exception {
        String ref = newRef();
        post(order(ref, "12345678901234", 15000)).statusCode(200);
        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());

        WebhookReceiver.Delivery d = WebhookReceiver.about(ref).get(0);
        assertThat(d.header("webhook-id")).isEqualTo(WebhookSender.eventId(ref, "SUCCEEDED")).startsWith("evt_");
        assertThat(d.header("content-type")).startsWith("application/json");
        assertThatCode(() -> new Webhook(config.webhookSecret()).verify(d.body(), Map.of(
                "webhook-id", List.of(d.header("webhook-id")),
                "webhook-timestamp", List.of(d.header("webhook-timestamp")),
                "webhook-signature", List.of(d.header("webhook-signature"))))).doesNotThrowAnyException();
        io.restassured.path.json.JsonPath body = new io.restassured.path.json.JsonPath(d.body());
        assertThat(body.getString("type")).isEqualTo("transfer.result");
        assertThat(body.getString("data.bank_tran_id")).isEqualTo(ref);
        assertThat(body.getString("data.status")).isEqualTo("SUCCEEDED");
        assertThat(body.getLong("data.amount")).isEqualTo(15000);
        assertThat(body.getString("data.currency")).isEqualTo("KRW");
        // a tampered body does not verify with that signature
        assertThat(catchVerify(d.body().replace("15000", "15001"), d)).isNotNull();
    }

    /** A real bank propagates none of our trace context, so its webhook starts a trace of its own at webhook-service. */
    @Test
    void theWebhookCarriesNoneOfTheCallersTraceContext() {
        String ref = newRef();
        given().contentType(ContentType.JSON)
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .header("tracestate", "payout=1")
                .body(order(ref, "12345678901234", 15000)).post("/v2/transfers").then().statusCode(200);
        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());

        WebhookReceiver.Delivery d = WebhookReceiver.about(ref).get(0);
        assertThat(d.headers()).doesNotContainKeys("traceparent", "tracestate", "baggage");
    }

    @Test
    void aRefusedDeliveryIsRetriedWithTheSameEventId() {
        String ref = newRef();
        WebhookReceiver.failOnce.add(ref);
        post(order(ref, "12345678901234", 15000)).statusCode(200);

        await().atMost(WAIT).until(() -> WebhookReceiver.about(ref).size() == 2);
        assertThat(WebhookReceiver.about(ref)).extracting(d -> d.header("webhook-id"))
                .containsOnly(WebhookSender.eventId(ref, "SUCCEEDED"));
    }

    @Test
    void resetForgetsEverything() {
        String ref = newRef();
        post(order(ref, "12345678901234", 15000)).statusCode(200);
        given().delete("/sandbox/executions").then().statusCode(204);

        given().get("/sandbox/executions").then().statusCode(200).contentType(ContentType.JSON)
                .body("size()", equalTo(0));
        inquiry(ref).statusCode(404);
        post(order(ref, "12345678901234", 15000)).statusCode(200).body("code", equalTo("ACCEPTED"));
    }

    // --- helpers ---

    /** A fresh, valid 20-character bank_tran_id. */
    private static String newRef() {
        String tail = (Long.toString(SERIAL.incrementAndGet(), 36)
                + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 9);
        return "T991234560U" + tail;
    }

    private static String order(String ref, String account, long amount) {
        return "{\"bank_tran_id\":\"" + ref + "\",\"source_account\":\"acc-1\",\"bank_code\":\"004\","
                + "\"account_number\":\"" + account + "\",\"amount\":" + amount + ",\"currency\":\"KRW\"}";
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/transfers").then();
    }

    private static ValidatableResponse inquiry(String ref) {
        return given().get("/v2/transfers/" + ref).then();
    }

    private static Map<String, Object> execution(String ref) {
        List<Map<String, Object>> all = given().get("/sandbox/executions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(e -> ref.equals(e.get("bank_tran_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no execution for " + ref));
    }

    private Exception catchVerify(String body, WebhookReceiver.Delivery d) {
        try {
            new Webhook(config.webhookSecret()).verify(body, Map.of(
                    "webhook-id", List.of(d.header("webhook-id")),
                    "webhook-timestamp", List.of(d.header("webhook-timestamp")),
                    "webhook-signature", List.of(d.header("webhook-signature"))));
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
