package io.payout.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The statement as reconciliation reads it: paged over a big day with nothing lost or repeated, strict about its
 * parameters; amendments that make it misreport; and a late, forced execution of an order the bank had refused.
 * Same test resource as {@link BankSandboxTest} (one boot); every test leaves the bank empty and unamended.
 */
@QuarkusTest
@WithTestResource(WebhookReceiver.class)
class StatementTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicLong SERIAL = new AtomicLong();

    @TestHTTPResource("/")
    URI base;

    @Inject
    SandboxConfig config;

    @AfterEach
    void cleanBank() {
        given().delete("/sandbox/statement-amendments").then().statusCode(204);
        await().atMost(WAIT).until(() -> given().get("/sandbox/executions").then().statusCode(200).extract()
                .jsonPath().getList("status").stream().noneMatch("PROCESSING"::equals));
        given().delete("/sandbox/executions").then().statusCode(204);
    }

    @Test
    void pagingOverTwoAndAHalfThousandExecutionsLosesAndRepeatsNoLine() throws Exception {
        given().delete("/sandbox/executions").then().statusCode(204);
        List<String> refs = executeAll(2500);
        awaitAllSucceeded(2500);
        String today = today();

        JsonPath first = page(today, 0, 1000).extract().jsonPath();
        assertThat(first.getString("date")).isEqualTo(today);
        assertThat(first.getInt("page")).isZero();
        assertThat(first.getInt("size")).isEqualTo(1000);
        assertThat(first.getList("lines")).hasSize(1000);
        assertThat(first.getBoolean("has_more")).isTrue();
        JsonPath second = page(today, 1, 1000).extract().jsonPath();
        assertThat(second.getList("lines")).hasSize(1000);
        assertThat(second.getBoolean("has_more")).isTrue();

        // the bank keeps executing while we page: new lines only append, after what we have read
        List<String> late = executeAll(10);
        awaitAllSucceeded(2510);
        JsonPath third = page(today, 2, 1000).extract().jsonPath();
        assertThat(third.getList("lines")).hasSize(510);
        assertThat(third.getBoolean("has_more")).isFalse();
        assertThat(third.getList("lines.bank_tran_id", String.class).subList(500, 510))
                .containsExactlyInAnyOrderElementsOf(late);
        JsonPath beyond = page(today, 3, 1000).extract().jsonPath();
        assertThat(beyond.getList("lines")).isEmpty();
        assertThat(beyond.getBoolean("has_more")).isFalse();

        List<String> read = new ArrayList<>();
        for (JsonPath p : List.of(first, second, third)) {
            read.addAll(p.getList("lines.bank_tran_id", String.class));
        }
        List<String> all = new ArrayList<>(refs);
        all.addAll(late);
        assertThat(read).as("every line once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        // every line carries what the order said
        assertThat(first.getList("lines.amount", Integer.class)).containsOnly(777);
        assertThat(first.getList("lines.currency", String.class)).containsOnly("KRW");

        // the same day in pages of an odd size (page boundaries elsewhere): the same lines in the same order
        List<String> odd = new ArrayList<>();
        int page = 0;
        boolean more = true;
        while (more) {
            JsonPath p = page(today, page++, 999).extract().jsonPath();
            odd.addAll(p.getList("lines.bank_tran_id", String.class));
            more = p.getBoolean("has_more");
        }
        assertThat(page).isEqualTo(3);
        assertThat(odd).isEqualTo(read);

        // without page and size: page 0 of statement-page-size lines
        JsonPath byDefault = given().get("/v2/statements?date=" + today).then().statusCode(200).extract().jsonPath();
        assertThat(byDefault.getInt("page")).isZero();
        assertThat(byDefault.getInt("size")).isEqualTo(config.statementPageSize());
        assertThat(byDefault.getList("lines.bank_tran_id", String.class))
                .isEqualTo(read.subList(0, config.statementPageSize()));

        // an omitted line leaves no hole: the pages stay full and contiguous, without it
        String omitted = read.get(999);
        amend("{\"bank_tran_id\":\"" + omitted + "\",\"omit\":true}").statusCode(200);
        List<String> amended = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonPath p = page(today, i, 1000).extract().jsonPath();
            amended.addAll(p.getList("lines.bank_tran_id", String.class));
            assertThat(p.getBoolean("has_more")).isEqualTo(i < 2);
        }
        List<String> expected = new ArrayList<>(read);
        expected.remove(omitted);
        assertThat(amended).isEqualTo(expected);
    }

    @Test
    void badStatementParametersAre400ProblemsListingEveryParameter() {
        int max = config.statementPageSizeMax();
        given().get("/v2/statements?date=21-11-2026&page=-1&size=" + (max + 1)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("code", equalTo("INVALID_REQUEST"))
                .body("errors.field", containsInAnyOrder("date", "page", "size"));
        for (String query : List.of("page=0", "date=2026-11-21&size=0", "date=2026-11-21&page=x",
                "date=2026-11-21&size=1.5", "date=2026-11-21&page=99999999999")) {
            given().get("/v2/statements?" + query).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("INVALID_REQUEST"))
                    .body("errors.size()", equalTo(1));
        }
        given().get("/v2/statements?date=2026-11-21&page=0&size=" + max).then().statusCode(200)
                .body("size", equalTo(max));
    }

    @Test
    void anAmendedLineShowsAnotherAmountOrNothingWhileTheExecutionStands() {
        String ref = newRef();
        String other = newRef();
        post(order(ref, "12345678901234", 1500)).statusCode(200).body("code", equalTo("ACCEPTED"));
        post(order(other, "12345678901234", 2500)).statusCode(200).body("code", equalTo("ACCEPTED"));
        awaitSucceeded(ref);
        awaitSucceeded(other);
        String today = today();

        amend("{\"bank_tran_id\":\"" + ref + "\",\"amount\":1499}").statusCode(200)
                .body("bank_tran_id", equalTo(ref)).body("amount", equalTo(1499));
        assertThat(line(today, ref)).containsEntry("amount", 1499);
        assertThat(line(today, other)).containsEntry("amount", 2500);
        assertThat(execution(ref)).containsEntry("amount", 1500).containsEntry("count", 1);

        // a second amendment of the same ref replaces the first
        amend("{\"bank_tran_id\":\"" + ref + "\",\"omit\":true}").statusCode(200).body("omit", equalTo(true));
        given().get("/sandbox/statement-amendments").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].bank_tran_id", equalTo(ref)).body("[0].omit", equalTo(true));
        page(today, 0, 5000).body("lines.bank_tran_id", not(hasItem(ref))).body("lines.bank_tran_id", hasItem(other));
        assertThat(execution(ref)).containsEntry("count", 1).containsEntry("status", "SUCCEEDED");
        given().get("/v2/transfers/" + ref).then().statusCode(200).body("status", equalTo("SUCCEEDED"));

        given().delete("/sandbox/statement-amendments").then().statusCode(204);
        given().get("/sandbox/statement-amendments").then().statusCode(200).body("size()", equalTo(0));
        assertThat(line(today, ref)).containsEntry("amount", 1500);
    }

    @Test
    void anInvalidAmendmentIs400ListingEveryFieldAndChangesNothing() {
        String ref = newRef();
        amend("{\"bank_tran_id\":\"" + ref + "\",\"amount\":100,\"omit\":true,\"extra\":1}").statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("INVALID_AMENDMENT"))
                .body("errors.field", containsInAnyOrder("extra", "amount"));
        for (String body : List.of("{not json", "[]", "{\"amount\":5}", "{\"bank_tran_id\":\"short\",\"amount\":5}",
                "{\"bank_tran_id\":\"" + ref + "\"}", "{\"bank_tran_id\":\"" + ref + "\",\"amount\":0}",
                "{\"bank_tran_id\":\"" + ref + "\",\"amount\":\"5\"}", "{\"bank_tran_id\":\"" + ref + "\",\"omit\":false}")) {
            amend(body).statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("INVALID_AMENDMENT"));
        }
        given().get("/sandbox/statement-amendments").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aForcedExecutionPaysARejectedOrderLateWithoutAWebhook() {
        String ref = newRef();
        post(order(ref, "12340000", 4200)).statusCode(200).body("code", equalTo("REJECTED"));
        assertThat(execution(ref)).containsEntry("count", 0).containsEntry("status", "FAILED");
        await().atMost(WAIT).until(() -> !WebhookReceiver.about(ref).isEmpty());
        String today = today();

        given().post("/sandbox/executions/" + ref + "/force").then().statusCode(200)
                .body("bank_tran_id", equalTo(ref)).body("count", equalTo(1)).body("status", equalTo("SUCCEEDED"))
                .body("amount", equalTo(4200));
        assertThat(execution(ref)).containsEntry("count", 1).containsEntry("status", "SUCCEEDED");
        given().get("/v2/transfers/" + ref).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("amount", equalTo(4200));
        assertThat(line(today, ref)).containsEntry("amount", 4200).containsEntry("currency", "KRW");

        // forcing never pays twice, and needs an order the bank knows
        given().post("/sandbox/executions/" + ref + "/force").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("ALREADY_EXECUTED"));
        assertThat(execution(ref)).containsEntry("count", 1);
        given().post("/sandbox/executions/" + newRef() + "/force").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("UNKNOWN_TRANSFER"));
        String paid = newRef();
        post(order(paid, "12345678901234", 10)).statusCode(200).body("code", equalTo("ACCEPTED"));
        given().post("/sandbox/executions/" + paid + "/force").then().statusCode(409)
                .body("code", equalTo("ALREADY_EXECUTED"));
        assertThat(execution(paid)).containsEntry("count", 1);

        // the bank never tells: by the time a later transfer's webhook arrived, the forced ref still has only its
        // FAILED one
        await().atMost(WAIT).until(() -> !WebhookReceiver.about(paid).isEmpty());
        assertThat(WebhookReceiver.about(ref)).extracting(WebhookReceiver.Delivery::body)
                .singleElement().asString().contains("\"status\":\"FAILED\"");
    }

    // --- helpers ---

    private String today() {
        return LocalDate.now(config.zone()).toString();
    }

    /** Executes {@code n} orders of 777 KRW over HTTP, 8 at a time; returns their refs. */
    private List<String> executeAll(int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    String ref = newRef();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v2/transfers"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(order(ref, "12345678901234", 777))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    assertThat(r.body()).contains("\"ACCEPTED\"");
                    return ref;
                }));
            }
            List<String> refs = new ArrayList<>();
            for (Future<String> f : futures) {
                refs.add(f.get(60, TimeUnit.SECONDS));
            }
            return refs;
        } finally {
            pool.shutdownNow();
            http.close();
        }
    }

    private static void awaitAllSucceeded(int count) {
        await().atMost(WAIT).until(() -> {
            List<String> statuses = given().get("/sandbox/executions").then().statusCode(200).extract()
                    .jsonPath().getList("status");
            return statuses.size() == count && statuses.stream().allMatch("SUCCEEDED"::equals);
        });
    }

    private static void awaitSucceeded(String ref) {
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(execution(ref).get("status")));
    }

    private static ValidatableResponse page(String date, int page, int size) {
        return given().get("/v2/statements?date=" + date + "&page=" + page + "&size=" + size).then().statusCode(200);
    }

    /** The one line of {@code ref} on the day's statement (read in pages of the largest size). */
    private Map<String, Object> line(String date, String ref) {
        Set<Map<String, Object>> found = new HashSet<>();
        int page = 0;
        boolean more = true;
        while (more) {
            JsonPath p = StatementTest.page(date, page++, config.statementPageSizeMax()).extract().jsonPath();
            List<Map<String, Object>> lines = p.getList("lines");
            lines.stream().filter(l -> ref.equals(l.get("bank_tran_id"))).forEach(found::add);
            more = p.getBoolean("has_more");
        }
        assertThat(found).as("lines of %s", ref).hasSize(1);
        return found.iterator().next();
    }

    private static ValidatableResponse amend(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/sandbox/statement-amendments").then();
    }

    private static String newRef() {
        String tail = (Long.toString(SERIAL.incrementAndGet(), 36)
                + UUID.randomUUID().toString().replace("-", "")).toUpperCase().substring(0, 9);
        return "T991234560S" + tail;
    }

    private static String order(String ref, String account, long amount) {
        return "{\"bank_tran_id\":\"" + ref + "\",\"source_account\":\"acc-1\",\"bank_code\":\"004\","
                + "\"account_number\":\"" + account + "\",\"amount\":" + amount + ",\"currency\":\"KRW\"}";
    }

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/transfers").then();
    }

    private static Map<String, Object> execution(String ref) {
        List<Map<String, Object>> all = given().get("/sandbox/executions").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return all.stream().filter(e -> ref.equals(e.get("bank_tran_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no execution for " + ref));
    }
}
