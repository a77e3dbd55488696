package io.payout.transfer;

import com.github.tomakehurst.wiremock.http.Fault;
import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.Rows;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.payout.transfer.OtherServicesStub.services;
import static io.payout.transfer.SagaEvents.WAIT;
import static io.payout.transfer.SagaEvents.awaitState;
import static io.payout.transfer.SagaEvents.dispatched;
import static io.payout.transfer.SagaEvents.publish;
import static io.payout.transfer.SagaEvents.result;
import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops web page in-process: transfer-service's real database and broker, the other three services stubbed by
 * WireMock ({@link OtherServicesStub}). What a browser gets: HTML, redirects and the session cookie.
 */
@QuarkusTest
@WithTestResource(OtherServicesStub.class)
class OpsPageTest {
    private static final String COOKIE = "payout_ops";
    private static final String OPS = Tokens.forClient("alice", "ops");

    // --- the journey -----------------------------------------------------------------------------------------------

    @Test
    void theJourneyShowsTheTransferItsHistoryPostingsDispatchWebhooksAndTrace() {
        String ref = "REFJ" + suffix();
        String id = dispatched(ref);
        stubPostings(id, ref);
        stubDispatch(id, """
                {"transfer_id":"%s","external_ref":"%s","state":"ACCEPTED","calls":1,"inquiry_attempts":0}""".formatted(id, ref));
        stubWebhooks(ref, """
                {"items":[{"event_id":"evt-%s","external_ref":"%s","outcome":"SUCCEEDED","received_at":"2026-01-02T03:04:05Z"}]}"""
                .formatted(ref, ref));

        String html = page("/ops/transfers/" + id, OPS).then().statusCode(200)
                .contentType("text/html").header("Cache-Control", "no-store").extract().asString();

        assertThat(html).contains("Transfer " + id).contains("<span class=\"state\" id=\"state\">DISPATCHED</span>");
        assertThat(cell(section(html, "transfer"), "client_id")).isEqualTo(CLIENT_A);
        assertThat(cell(section(html, "transfer"), "external_ref")).isEqualTo(ref);
        assertThat(cell(section(html, "transfer"), "amount")).isEqualTo("15000 KRW");
        assertThat(cells(section(html, "history"))).containsSubsequence("PENDING", "PENDING", "DISPATCHED");
        assertThat(cells(section(html, "postings")))
                .containsSubsequence("HOLD", ref, "acc-123", "-15000", "KRW", "holds", "15000", "KRW", "posting-hold-" + id)
                .containsSubsequence("SETTLE", ref, "holds", "-15000", "KRW", "bank-clearing", "15000", "KRW");
        assertThat(cell(section(html, "dispatch"), "state")).isEqualTo("ACCEPTED");
        assertThat(cell(section(html, "dispatch"), "calls")).isEqualTo("1");
        assertThat(cells(section(html, "webhooks"))).contains("evt-" + ref, "SUCCEEDED", "2026-01-02T03:04:05Z");
        assertThat(html).doesNotContain("unavailable:");

        // the trace of the POST that created it, stored at intake
        String traceId = (String) Rows.query(OtherServicesStub.database(),
                "select trace_id from transfers where id = ?::uuid", id).get(0).get("trace_id");
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(section(html, "trace")).contains("<code id=\"trace-id\">" + traceId + "</code>");
        assertThat(cell(section(html, "transfer"), "trace_id")).isEqualTo(traceId);

        // each service was asked with the ops user's own token, so it applies its own authorization
        for (String path : List.of("/v1/transfers/" + id + "/postings", "/v1/dispatches/" + id, "/v1/webhook-events")) {
            services().verify(getRequestedFor(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + OPS)));
        }
    }

    @Test
    void aServiceThatFailsTimesOutOrCutsTheConnectionIsShownUnavailableAndThePageStillRenders() {
        String ref = "REFU" + suffix();
        String id = dispatched(ref);
        services().stubFor(get(urlPathEqualTo("/v1/transfers/" + id + "/postings")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"database down\"}")));
        services().stubFor(get(urlPathEqualTo("/v1/dispatches/" + id)).willReturn(okJson("{\"transfer_id\":\"" + id + "\"}")
                .withFixedDelay(OtherServicesStub.CALL_TIMEOUT_MS * 2)));
        services().stubFor(get(urlPathEqualTo("/v1/webhook-events")).withQueryParam("external_ref", equalTo(ref))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        String html = page("/ops/transfers/" + id, OPS).then().statusCode(200).extract().asString();

        assertThat(unavailable(section(html, "postings"))).isEqualTo("HTTP 503: database down");
        assertThat(unavailable(section(html, "dispatch"))).isEqualTo("no answer within " + OtherServicesStub.CALL_TIMEOUT_MS + " ms");
        assertThat(unavailable(section(html, "webhooks"))).contains("Connection reset");
        // what transfer-service knows itself is all there
        assertThat(cell(section(html, "transfer"), "external_ref")).isEqualTo(ref);
        assertThat(cells(section(html, "history"))).contains("DISPATCHED");
    }

    @Test
    void aTransferTheBankWasNeverAskedAboutHasNoDispatchAndNoWebhooksToFetch() {
        String id = TransferApi.post(CLIENT_A, newKey(), TransferApi.validBody()).then().statusCode(201)
                .extract().path("id");
        services().stubFor(get(urlPathEqualTo("/v1/transfers/" + id + "/postings"))
                .willReturn(okJson("{\"transfer_id\":\"" + id + "\",\"postings\":[]}")));
        services().stubFor(get(urlPathEqualTo("/v1/dispatches/" + id)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":404,\"detail\":\"No dispatch\"}")));

        long webhookCalls = webhookCalls();

        String html = page("/ops/transfers/" + id, OPS).then().statusCode(200).extract().asString();

        assertThat(section(html, "postings")).contains("No postings in the ledger.");
        assertThat(section(html, "dispatch")).contains("No dispatch at the bank adapter.");
        assertThat(section(html, "webhooks")).contains("no external_ref yet");
        assertThat(html).doesNotContain("unavailable:");
        assertThat(webhookCalls()).isEqualTo(webhookCalls);
    }

    @Test
    void markupInTheTransferAndInOtherServicesAnswersIsShownAsTextNeverAsHtml() {
        String memo = "<script>alert('memo')</script>";
        String id = TransferApi.post(CLIENT_A, newKey(), """
                {"source_account": "acc-123", "destination": {"bank_code": "004", "account_number": "12345678901234"},
                 "amount": "15000", "currency": "KRW", "memo": "%s"}""".formatted(memo)).then().statusCode(201)
                .extract().path("id");
        services().stubFor(get(urlPathEqualTo("/v1/transfers/" + id + "/postings"))
                .willReturn(okJson("{\"postings\":[{\"id\":\"p1\",\"kind\":\"<b>HOLD</b>\",\"entries\":[]}]}")));
        services().stubFor(get(urlPathEqualTo("/v1/dispatches/" + id))
                .willReturn(okJson("{\"state\":\"<img src=x onerror=alert(1)>\",\"\\\"><i>key</i>\":1}")));

        String html = page("/ops/transfers/" + id, OPS).then().statusCode(200).extract().asString();

        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>HOLD")
                .doesNotContain("<i>key");
        assertThat(html).contains("&lt;script&gt;alert(&#39;memo&#39;)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;b&gt;HOLD&lt;/b&gt;");
        // the only script on any ops page is the login page's own file
        assertThat(html).doesNotContain("<script");
    }

    @Test
    void anUnknownOrMalformedTransferIdAnswers404Html() {
        page("/ops/transfers/" + UUID.randomUUID(), OPS).then().statusCode(404).contentType("text/html");
        String html = given().urlEncodingEnabled(false).redirects().follow(false).cookie(COOKIE, OPS)
                .when().get("/ops/transfers/%3Cb%3Enot-an-id").then().statusCode(404).extract().asString();
        assertThat(html).contains("&lt;b&gt;not-an-id").doesNotContain("<b>not-an-id");
    }

    // --- search and dashboard --------------------------------------------------------------------------------------

    @Test
    void searchingByIdExternalRefOrClientRequestIdLeadsToTheJourney() {
        String key = newKey();
        String ref = "REFS" + suffix();
        String id = dispatched(ref);
        String otherKeyId = TransferApi.post(CLIENT_A, key, TransferApi.validBody()).then().statusCode(201)
                .extract().path("id");

        for (String[] q : new String[][]{{id, id}, {ref, id}, {" " + key + " ", otherKeyId}}) {
            page("/ops/transfers?q=" + q[0], OPS).then().statusCode(303)
                    .header("Location", org.hamcrest.Matchers.endsWith("/ops/transfers/" + q[1]));
        }
        String none = page("/ops/transfers?q=nothing-" + suffix(), OPS).then().statusCode(200).extract().asString();
        assertThat(none).contains("No transfer has this id, external_ref or client_request_id.");
        page("/ops/transfers?q=", OPS).then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/ops"));
    }

    @Test
    void aClientRequestIdUsedByTwoClientsListsBothTransfers() {
        String key = newKey();
        String a = TransferApi.post(CLIENT_A, key, TransferApi.validBody()).then().statusCode(201).extract().path("id");
        String b = TransferApi.post(TransferApi.CLIENT_B, key, TransferApi.validBody()).then().statusCode(201)
                .extract().path("id");

        String html = page("/ops/transfers?q=" + key, OPS).then().statusCode(200).extract().asString();

        assertThat(html).contains("/ops/transfers/" + a).contains("/ops/transfers/" + b)
                .contains(CLIENT_A).contains(TransferApi.CLIENT_B);
    }

    @Test
    void theDashboardListsAnomaliesStuckTransfersAndOpenDeadLetters() {
        String stuckRef = "REFK" + suffix();
        String stuck = dispatched(stuckRef);
        String ref = "REFA" + suffix();
        String contradicted = dispatched(ref);
        publish("bank.result", result(contradicted, ref, "SUCCEEDED", "RESPONSE"));
        awaitState(contradicted, "SETTLED");
        publish("bank.result", result(contradicted, ref, "FAILED", "WEBHOOK"));
        await().atMost(WAIT).until(() -> Rows.count(
                "select count(*) from anomalies where transfer_id = ?::uuid", contradicted) == 1);
        String poison = publish("bank.result", "{\"transfer_id\":\"not-a-uuid\"}");
        DeadLetterRows.awaitMessage(poison);

        String html = page("/ops", OPS).then().statusCode(200).contentType("text/html").extract().asString();

        assertThat(section(html, "anomalies")).contains("/ops/transfers/" + contradicted).contains("CONTRADICTING_RESULT");
        assertThat(section(html, "stuck")).contains("/ops/transfers/" + stuck).contains(stuckRef)
                .doesNotContain(contradicted);
        assertThat(cells(section(html, "dead-letters"))).contains(poison, "transfer.events", "bank.result")
                .anyMatch(c -> c.contains("unreadable bank.result payload"));
        assertThat(html).contains("action=\"/ops/transfers\"").contains("name=\"q\"");
    }

    // --- who may look ------------------------------------------------------------------------------------------------

    @Test
    void withoutASessionEveryPageRedirectsToTheLoginPageAndBack() {
        for (String path : List.of("/ops", "/ops/transfers/" + UUID.randomUUID(), "/ops/transfers?q=abc")) {
            String location = given().redirects().follow(false).when().get(path).then().statusCode(303)
                    .extract().header("Location");
            assertThat(location).contains("/ops/login?next=")
                    .endsWith(java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8));
        }
        given().when().get("/ops/login").then().statusCode(200).contentType("text/html")
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"));
    }

    @Test
    void anExpiredOrForeignTokenInTheCookieIsForgottenAndLeadsToTheLoginPage() {
        for (String token : List.of(Tokens.expired("alice"), Tokens.foreignSignature("alice"))) {
            Response r = page("/ops", token);
            r.then().statusCode(303).header("Location", org.hamcrest.Matchers.containsString("/ops/login"));
            assertThat(r.getHeader("Set-Cookie")).startsWith(COOKIE + "=;").contains("Max-Age=0");
        }
    }

    @Test
    void aTokenWithoutTheOpsGroupGetsTheForbiddenPageAndNoOtherServiceIsAsked() {
        String id = TransferApi.post(CLIENT_A, newKey(), TransferApi.validBody()).then().statusCode(201).extract().path("id");
        String client = Tokens.forClient(CLIENT_A);
        for (String path : List.of("/ops", "/ops/transfers/" + id, "/ops/transfers?q=" + id)) {
            String html = page(path, client).then().statusCode(403).contentType("text/html").extract().asString();
            assertThat(html).contains("Forbidden").contains(CLIENT_A).doesNotContain(id.substring(0, 8) + "-");
        }
        services().verify(0, getRequestedFor(urlPathEqualTo("/v1/transfers/" + id + "/postings")));
        services().verify(0, getRequestedFor(urlPathEqualTo("/v1/dispatches/" + id)));
    }

    @Test
    void loggingInSetsAnHttpOnlyStrictSecureCookieForOpsOnlyAndGoesToTheRequestedPage() {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", OPS).formParam("next", "/ops/transfers?q=abc")
                .when().post("/ops/session");

        r.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/ops/transfers?q=abc"));
        String cookie = r.getHeader("Set-Cookie");
        assertThat(cookie).startsWith(COOKIE + "=" + OPS + ";");
        assertThat(cookie.split(";\\s*")).contains("Path=/ops", "HttpOnly", "Secure", "SameSite=Strict");
        int maxAge = Integer.parseInt(cookie.replaceAll(".*Max-Age=(\\d+).*", "$1"));
        assertThat(maxAge).isBetween(1, 600); // Tokens live 600 s: the cookie never outlives its token
        // the cookie is what the pages accept from now on
        given().cookie(COOKIE, r.getCookie(COOKIE)).when().get("/ops").then().statusCode(200);
    }

    @Test
    void aBadTokenACrossSiteFormOrAForeignNextPageDoNotLogIn() {
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", Tokens.expired("alice")).when().post("/ops/session")
                .then().statusCode(401).contentType("text/html").header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", Tokens.withoutSubject()).when().post("/ops/session")
                .then().statusCode(401).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", "").when().post("/ops/session")
                .then().statusCode(400).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example").formParam("token", OPS).when().post("/ops/session")
                .then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "cross-site").formParam("token", OPS).when().post("/ops/session")
                .then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        for (String next : List.of("//evil.example/ops", "https://evil.example/ops", "/ops/\\evil.example", "/opsx",
                "/ops//evil.example", "/ops/../v1/transfers")) {
            given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("token", OPS).formParam("next", next).when().post("/ops/session")
                    .then().statusCode(303).header("Location", org.hamcrest.Matchers.matchesPattern("https?://[^/]+/ops"));
        }
    }

    @Test
    void loggingOutClearsTheCookie() {
        Response r = given().redirects().follow(false).cookie(COOKIE, OPS).when().post("/ops/logout");
        r.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/ops/login"));
        assertThat(r.getHeader("Set-Cookie")).startsWith(COOKIE + "=;").contains("Max-Age=0").contains("Path=/ops");
        given().redirects().follow(false).header("Origin", "https://evil.example").when().post("/ops/logout")
                .then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void theJsonApiKeepsWorkingWithABearerToken() {
        given().header("Authorization", "Bearer " + OPS).when().get("/v1/ops/anomalies")
                .then().statusCode(200).contentType("application/json");
        given().header("Authorization", "Bearer " + Tokens.forClient(CLIENT_A)).when().get("/v1/ops/anomalies")
                .then().statusCode(403).contentType("application/problem+json");
        given().when().get("/v1/ops/anomalies").then().statusCode(401).contentType("application/problem+json");
        String id = TransferApi.post(CLIENT_A, newKey(), TransferApi.validBody()).then().statusCode(201).extract().path("id");
        TransferApi.get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200);
        // a bearer header works on the pages too (scripts, curl)
        given().redirects().follow(false).header("Authorization", "Bearer " + OPS).when().get("/ops")
                .then().statusCode(200);
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static Response page(String path, String token) {
        return given().redirects().follow(false).cookie(COOKIE, token).when().get(path);
    }

    private static long webhookCalls() {
        return services().countRequestsMatching(getRequestedFor(urlPathEqualTo("/v1/webhook-events")).build()).getCount();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }

    private static void stubPostings(String id, String ref) {
        services().stubFor(get(urlPathEqualTo("/v1/transfers/" + id + "/postings")).willReturn(okJson("""
                {"transfer_id":"%1$s","postings":[
                  {"id":"posting-hold-%1$s","kind":"HOLD","external_ref":"%2$s","created_at":"2026-01-02T03:00:00Z",
                   "entries":[{"account_id":"acc-123","amount":"-15000","currency":"KRW"},
                              {"account_id":"holds","amount":"15000","currency":"KRW"}]},
                  {"id":"posting-settle-%1$s","kind":"SETTLE","external_ref":"%2$s","created_at":"2026-01-02T03:05:00Z",
                   "entries":[{"account_id":"holds","amount":"-15000","currency":"KRW"},
                              {"account_id":"bank-clearing","amount":"15000","currency":"KRW"}]}]}""".formatted(id, ref))));
    }

    private static void stubDispatch(String id, String json) {
        services().stubFor(get(urlPathEqualTo("/v1/dispatches/" + id)).willReturn(okJson(json)));
    }

    private static void stubWebhooks(String ref, String json) {
        services().stubFor(get(urlPathEqualTo("/v1/webhook-events")).withQueryParam("external_ref", equalTo(ref))
                .willReturn(okJson(json)));
    }

    /** The HTML of {@code <section id="…">}. */
    static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    /** The text of every table cell, in document order. */
    static List<String> cells(String html) {
        Matcher m = Pattern.compile("<td>([^<]*)</td>").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        return out;
    }

    /** The value next to a field name in a two-column table. */
    static String cell(String html, String name) {
        Matcher m = Pattern.compile("<th>" + Pattern.quote(name) + "</th><td>([^<]*)</td>").matcher(html);
        assertThat(m.find()).as("field " + name).isTrue();
        return m.group(1);
    }

    static String unavailable(String html) {
        Matcher m = Pattern.compile("<div class=\"unavailable\">unavailable: ([^<]*)</div>").matcher(html);
        assertThat(m.find()).as("unavailable box").isTrue();
        return m.group(1);
    }
}
