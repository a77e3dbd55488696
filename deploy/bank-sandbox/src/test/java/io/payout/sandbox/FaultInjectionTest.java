package io.payout.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * Each scripted fault of the sandbox bank over real HTTP, doing what PUT /sandbox/faults says it does. Same test
 * resource as {@link BankSandboxTest} (one boot); every test leaves the bank without a script.
 */
@QuarkusTest
@WithTestResource(WebhookReceiver.class)
class FaultInjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicLong SERIAL = new AtomicLong();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    SandboxConfig config;

    /**
     * Starts from a quiet bank: every earlier transfer final (so its webhook faults were drawn under the script
     * that was in force then, not this test's), no script, counters at zero.
     */
    @BeforeEach
    void quietBank() {
        await().atMost(WAIT).until(() -> given().get("/sandbox/executions").then().statusCode(200).extract()
                .jsonPath().getList("status").stream().noneMatch("PROCESSING"::equals));
        given().delete("/sandbox/faults").then().statusCode(204);
    }

    @AfterEach
    void noFaults() {
        given().delete("/sandbox/faults").then().statusCode(204);
    }

    // --- the transfer API ---

    @Test
    void timeoutExecutesAndAnswersAfterTheClientGaveUp() throws Exception {
        script("{\"fault\": \"timeout\", \"probability\": 1.0, \"value\": 1500}");
        String ref = newRef();

        Throwable thrown = catchThrowable(() -> send(post(ref), Duration.ofMillis(500)));
        assertThat(thrown).isInstanceOf(HttpTimeoutException.class);
        assertThat(execution(ref)).containsEntry("count", 1);
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(execution(ref).get("status")));

        // on an inquiry a timeout only delays: a patient client gets the normal answer, late
        long start = System.nanoTime();
        HttpResponse<String> late = send(HttpRequest.newBuilder(base.resolve("/v2/transfers/" + ref)).GET(),
                Duration.ofSeconds(10));
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(1500);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(late.body()).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(fired()).containsEntry("timeout", 2);
    }

    @Test
    void dropCutsTheConnectionAfterExecuting() {
        script("{\"fault\": \"drop_response_after_commit\", \"probability\": 1.0}");
        String ref = newRef();

        Throwable thrown = catchThrowable(() -> send(post(ref), Duration.ofSeconds(5)));
        // the connection closed with no status: an I/O failure, not a timeout and not an answer
        assertThat(thrown).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(execution(ref)).containsEntry("count", 1);
        assertThat(fired()).containsEntry("drop_response_after_commit", 1);
    }

    @Test
    void error5xxAnd429RefuseWithoutExecuting() {
        script("{\"fault\": \"error_5xx\", \"probability\": 1.0}");
        String refused = newRef();
        postOrder(refused).statusCode(503).body("code", equalTo("SERVICE_UNAVAILABLE"));
        inquiry(refused).statusCode(503);

        script("{\"fault\": \"error_429\", \"probability\": 1.0, \"value\": 7}");
        String throttled = newRef();
        postOrder(throttled).statusCode(429).header("Retry-After", "7").body("code", equalTo("TOO_MANY_REQUESTS"));
        inquiry(throttled).statusCode(429).header("Retry-After", "7");

        assertThat(refs()).doesNotContain(refused, throttled);
        assertThat(fired()).containsEntry("error_5xx", 2).containsEntry("error_429", 2);
    }

    @Test
    void ignoreDuplicateRefExecutesARepeatAgainWithASecondStatementLine() {
        String ref = newRef();
        postOrder(ref).statusCode(200).body("code", equalTo("ACCEPTED"));
        script("{\"fault\": \"ignore_duplicate_ref\", \"probability\": 1.0}");

        postOrder(ref).statusCode(200).body("code", equalTo("ACCEPTED")).body("status", equalTo("PROCESSING"));
        assertThat(execution(ref)).containsEntry("count", 2);
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(execution(ref).get("status")));
        String today = LocalDate.now(config.zone()).toString();
        List<String> lines = given().get("/v2/statements?date=" + today).then().statusCode(200)
                .extract().jsonPath().getList("lines.bank_tran_id");
        assertThat(lines).filteredOn(ref::equals).hasSize(2);

        // it only matters for repeats: a first order under the fault executes once and does not count
        String first = newRef();
        postOrder(first).statusCode(200).body("code", equalTo("ACCEPTED"));
        assertThat(execution(first)).containsEntry("count", 1);
        assertThat(fired()).containsEntry("ignore_duplicate_ref", 1);
    }

    @Test
    void garbageAnswersAre200WithTheBadBodyAndTheTransferExecutes() throws Exception {
        script("{\"fault\": \"malformed_json\", \"probability\": 1.0}");
        String malformed = newRef();
        String body = postOrder(malformed).statusCode(200).contentType(ContentType.JSON).extract().asString();
        assertThat(body).isNotEmpty().startsWith("{");
        assertThat(catchThrowable(() -> JSON.readTree(body))).isNotNull();
        String inquired = inquiry(malformed).statusCode(200).extract().asString();
        assertThat(catchThrowable(() -> JSON.readTree(inquired))).isNotNull();

        script("{\"fault\": \"unexpected_status\", \"probability\": 1.0}");
        String weird = newRef();
        postOrder(weird).statusCode(200).body("code", equalTo("WEIRD")).body("status", equalTo("WEIRD"))
                .body("bank_tran_id", equalTo(weird));

        script("{\"fault\": \"empty_body\", \"probability\": 1.0}");
        String empty = newRef();
        assertThat(postOrder(empty).statusCode(200).extract().asString()).isEmpty();
        assertThat(inquiry(empty).statusCode(200).extract().asString()).isEmpty();

        for (String ref : List.of(malformed, weird, empty)) {
            assertThat(execution(ref)).as(ref).containsEntry("count", 1);
        }
        assertThat(fired()).containsEntry("malformed_json", 2).containsEntry("unexpected_status", 1)
                .containsEntry("empty_body", 2);
    }

    @Test
    void latencyDelaysTheAnswerWhichIsOtherwiseNormal() throws Exception {
        script("{\"fault\": \"latency_ms\", \"probability\": 1.0, \"value\": 400}");
        String ref = newRef();

        long start = System.nanoTime();
        HttpResponse<String> answer = send(post(ref), Duration.ofSeconds(10));
        assertThat(millisSince(start)).isGreaterThanOrEqualTo(400);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("code").asText()).isEqualTo("ACCEPTED");
        assertThat(execution(ref)).containsEntry("count", 1);
        assertThat(fired()).containsEntry("latency_ms", 1);
    }

    @Test
    void theSameScriptAndRequestsGiveTheSameFaults() {
        String rules = "{\"fault\": \"error_5xx\", \"probability\": 0.3}, "
                + "{\"fault\": \"error_429\", \"probability\": 0.3}";
        script(42, rules);
        List<Integer> first = statuses(30);
        script(42, rules);
        List<Integer> second = statuses(30);

        assertThat(second).isEqualTo(first);
        assertThat(first).contains(200, 503, 429);
        // every firing counted once: the counters match what the clients saw, across both runs
        assertThat(fired()).containsEntry("error_5xx", 2 * count(first, 503))
                .containsEntry("error_429", 2 * count(first, 429));
    }

    // --- webhooks ---

    @Test
    void webhookDuplicateDeliversTheSameIdTwice() {
        script("{\"fault\": \"webhook_duplicate\", \"probability\": 1.0}");
        String ref = newRef();
        postOrder(ref).statusCode(200);

        await().atMost(WAIT).until(() -> WebhookReceiver.about(ref).size() == 2);
        assertThat(WebhookReceiver.about(ref)).extracting(d -> d.header("webhook-id"))
                .containsExactly(WebhookSender.eventId(ref, "SUCCEEDED"), WebhookSender.eventId(ref, "SUCCEEDED"));
        assertThat(fired()).containsEntry("webhook_duplicate", 1);
    }

    @Test
    void webhookDropSendsNothing() {
        script("{\"fault\": \"webhook_drop\", \"probability\": 1.0}");
        String ref = newRef();
        postOrder(ref).statusCode(200);

        await().atMost(WAIT).until(() -> fired().get("webhook_drop") == 1);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> WebhookReceiver.about(ref).isEmpty());
        assertThat(execution(ref)).containsEntry("status", "SUCCEEDED").containsEntry("count", 1);
    }

    @Test
    void webhookDelayHoldsTheWebhookBack() {
        script("{\"fault\": \"webhook_delay_ms\", \"probability\": 1.0, \"value\": 800}");
        String ref = newRef();
        long posted = System.nanoTime();
        postOrder(ref).statusCode(200);

        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());
        long arrivedAfterMs = (WebhookReceiver.about(ref).get(0).receivedNanos() - posted) / 1_000_000;
        assertThat(arrivedAfterMs).isGreaterThanOrEqualTo(800 + config.settleDelayMs());
        assertThat(fired()).containsEntry("webhook_delay_ms", 1);
    }

    @Test
    void webhookReorderDeliversAResultAfterTheNextOne() {
        // long hold: only the next result's webhook may release it
        script("{\"fault\": \"webhook_reorder\", \"probability\": 1.0, \"value\": 5000}");
        String earlier = newRef();
        postOrder(earlier).statusCode(200);
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(execution(earlier).get("status"))
                && fired().get("webhook_reorder") == 1);
        assertThat(WebhookReceiver.about(earlier)).isEmpty();

        script(""); // no more faults: the next result's webhook goes straight out, the held one right after
        String later = newRef();
        postOrder(later).statusCode(200);

        await().atMost(WAIT).until(() -> !WebhookReceiver.about(earlier).isEmpty());
        assertThat(WebhookReceiver.about(later)).isNotEmpty();
        assertThat(arrival(later)).isLessThan(arrival(earlier));
    }

    @Test
    void aReorderedWebhookWithNothingAfterItStillArrivesAfterItsHold() {
        script("{\"fault\": \"webhook_reorder\", \"probability\": 1.0, \"value\": 300}");
        String ref = newRef();
        long posted = System.nanoTime();
        postOrder(ref).statusCode(200);

        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());
        assertThat((WebhookReceiver.about(ref).get(0).receivedNanos() - posted) / 1_000_000)
                .isGreaterThanOrEqualTo(300 + config.settleDelayMs());
    }

    @Test
    void webhookContradictFollowsTheRealResultWithTheOppositeOne() {
        script("{\"fault\": \"webhook_contradict\", \"probability\": 1.0, \"value\": 100}");
        String ref = newRef();
        postOrder(ref).statusCode(200);

        await().atMost(WAIT).until(() -> WebhookReceiver.about(ref).size() == 2);
        List<WebhookReceiver.Delivery> got = WebhookReceiver.about(ref);
        assertThat(got).extracting(d -> d.header("webhook-id"))
                .containsExactly(WebhookSender.eventId(ref, "SUCCEEDED"), WebhookSender.eventId(ref, "FAILED"));
        assertThat(got.get(0).body()).contains("\"status\":\"SUCCEEDED\"");
        assertThat(got.get(1).body()).contains("\"status\":\"FAILED\"");
        // the bank's own truth is unchanged
        assertThat(execution(ref)).containsEntry("status", "SUCCEEDED").containsEntry("count", 1);
        inquiry(ref).statusCode(200).body("status", equalTo("SUCCEEDED"));
        assertThat(fired()).containsEntry("webhook_contradict", 1);
    }

    // --- the script itself ---

    @Test
    void putInstallsTheScriptAndGetShowsItWithCounters() {
        given().contentType(ContentType.JSON).body("""
                        {"seed": 7, "rules": [{"fault": "timeout", "probability": 1.0},
                          {"fault": "webhook_delay_ms", "probability": 1.0, "value": 3000}]}""")
                .put("/sandbox/faults").then().statusCode(200).body("seed", equalTo(7));
        given().get("/sandbox/faults").then().statusCode(200)
                .body("seed", equalTo(7))
                .body("rules", hasSize(2))
                .body("rules[0].fault", equalTo("timeout"))
                .body("rules[0].probability", equalTo(1.0f))
                .body("rules[0].containsKey('value')", equalTo(false))
                .body("rules[1].fault", equalTo("webhook_delay_ms"))
                .body("rules[1].value", equalTo(3000))
                .body("fired.size()", equalTo(FaultKind.values().length))
                .body("fired.timeout", equalTo(0));
    }

    @Test
    void anInvalidScriptIs400ListingEveryErrorAndKeepsTheOldOne() {
        script("{\"fault\": \"error_5xx\", \"probability\": 0.0}");
        given().contentType(ContentType.JSON).body("""
                        {"rules": [{"fault": "nope", "probability": 1},
                                   {"fault": "latency_ms", "probability": 2},
                                   {"fault": "webhook_drop", "probability": 1, "value": 5}]}""")
                .put("/sandbox/faults").then().statusCode(400)
                .body("code", equalTo("INVALID_FAULT_SCRIPT"))
                .body("errors", hasSize(4))
                .body("errors[0]", startsWith("rules[0].fault 'nope' is unknown; known: latency_ms, timeout"))
                .body("errors", hasItem("rules[1].probability must be a number from 0 to 1"))
                .body("errors", hasItem("rules[1].value is required for latency_ms"))
                .body("errors", hasItem("rules[2].value is not allowed for webhook_drop"));
        given().contentType(ContentType.JSON).body("{not json").put("/sandbox/faults").then().statusCode(400)
                .body("errors", hasItem("the body is not valid JSON"));
        given().get("/sandbox/faults").then().body("rules.fault", equalTo(List.of("error_5xx")));
    }

    @Test
    void deleteClearsTheScriptAndTheCountersButResettingExecutionsKeepsThem() {
        script(99, "{\"fault\": \"error_5xx\", \"probability\": 1.0}");
        postOrder(newRef()).statusCode(503);
        given().delete("/sandbox/executions").then().statusCode(204);
        assertThat(fired()).containsEntry("error_5xx", 1);

        given().delete("/sandbox/faults").then().statusCode(204);
        given().get("/sandbox/faults").then().statusCode(200)
                .body("seed", equalTo((int) config.seed()))
                .body("rules", hasSize(0));
        assertThat(fired().values()).containsOnly(0);
        postOrder(newRef()).statusCode(200).body("code", equalTo("ACCEPTED"));
    }

    // --- helpers ---

    private static void script(String rules) {
        script(7, rules);
    }

    private static void script(long seed, String rules) {
        given().contentType(ContentType.JSON).body("{\"seed\": " + seed + ", \"rules\": [" + rules + "]}")
                .put("/sandbox/faults").then().statusCode(200);
    }

    private static Map<String, Integer> fired() {
        return given().get("/sandbox/faults").then().statusCode(200).extract().jsonPath().getMap("fired");
    }

    private List<Integer> statuses(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(postOrder(newRef()).extract().statusCode());
        }
        return out;
    }

    private static int count(List<Integer> statuses, int status) {
        return (int) statuses.stream().filter(s -> s == status).count();
    }

    private static long arrival(String ref) {
        return WebhookReceiver.about(ref).get(0).receivedNanos();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A fresh, valid 20-character bank_tran_id, distinct from BankSandboxTest's. */
    private static String newRef() {
        String tail = ("F" + Long.toString(SERIAL.incrementAndGet(), 36)
                + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 9);
        return "T991234560U" + tail;
    }

    private static String order(String ref) {
        return "{\"bank_tran_id\":\"" + ref + "\",\"source_account\":\"acc-1\",\"bank_code\":\"004\","
                + "\"account_number\":\"12345678901234\",\"amount\":1500,\"currency\":\"KRW\"}";
    }

    private static ValidatableResponse postOrder(String ref) {
        return given().contentType(ContentType.JSON).body(order(ref)).post("/v2/transfers").then();
    }

    private static ValidatableResponse inquiry(String ref) {
        return given().get("/v2/transfers/" + ref).then();
    }

    private HttpRequest.Builder post(String ref) {
        return HttpRequest.newBuilder(base.resolve("/v2/transfers"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(order(ref)));
    }

    /** A plain HTTP/1.1 client with its own request timeout: what a bank adapter would see. */
    private static HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static List<String> refs() {
        return given().get("/sandbox/executions").then().statusCode(200).extract().jsonPath()
                .getList("bank_tran_id");
    }

    private static Map<String, Object> execution(String ref) {
        List<Map<String, Object>> all = given().get("/sandbox/executions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(e -> ref.equals(e.get("bank_tran_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no execution for " + ref));
    }
}
