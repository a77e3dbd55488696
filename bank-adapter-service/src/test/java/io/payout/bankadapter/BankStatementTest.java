package io.payout.bankadapter;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /v1/bank-statements}: the bank's statement passed through a page at a time (one bank call per page),
 * bounded in size, for ops and for the reconciliation's statement-reader only.
 */
@QuarkusTest
@WithTestResource(BankStub.class)
class BankStatementTest {
    private static final String OPS = "Bearer " + Tokens.forClient("ops-1", "ops");
    private static final String READER = "Bearer " + Tokens.forClient("ledger-reconciliation", "statement-reader");

    @Test
    void eachPageIsOneBankCallPassedThroughWithHasMore() {
        stubPage("2026-11-20", 0, 2, "[" + line("T991234560UAAAAAAAAA", 15000, "2026-11-20T01:02:03.456Z") + ","
                + line("T991234560UBBBBBBBBB", 700, "2026-11-20T01:02:04Z") + "]", true);
        stubPage("2026-11-20", 1, 2, "[" + line("T991234560UCCCCCCCCC", 1, "2026-11-20T23:59:59Z") + "]", false);

        given().header("Authorization", OPS)
                .when().get("/v1/bank-statements?date=2026-11-20&page=0&size=2")
                .then().statusCode(200)
                .body("date", equalTo("2026-11-20"))
                .body("page", equalTo(0))
                .body("size", equalTo(2))
                .body("has_more", equalTo(true))
                .body("lines.size()", equalTo(2))
                .body("lines[0].bank_tran_id", equalTo("T991234560UAAAAAAAAA"))
                .body("lines[0].amount_minor", equalTo(15000))
                .body("lines[0].currency", equalTo("KRW"))
                .body("lines[0].executed_at", equalTo("2026-11-20T01:02:03.456Z"))
                .body("lines[1].bank_tran_id", equalTo("T991234560UBBBBBBBBB"));
        given().header("Authorization", OPS)
                .when().get("/v1/bank-statements?date=2026-11-20&page=1&size=2")
                .then().statusCode(200)
                .body("page", equalTo(1))
                .body("has_more", equalTo(false))
                .body("lines.bank_tran_id", containsInAnyOrder("T991234560UCCCCCCCCC"))
                .body("lines[0].amount_minor", equalTo(1));

        // the adapter asks the bank for exactly the page asked of it, nothing more (a retry of a slow attempt
        // repeats the same page)
        var asked = BankStub.bank().findAll(getRequestedFor(urlPathEqualTo("/v2/statements"))
                .withQueryParam("date", is("2026-11-20")));
        assertThat(asked).extracting(r -> r.queryParameter("page").firstValue() + "/"
                + r.queryParameter("size").firstValue()).containsOnly("0/2", "1/2").contains("0/2", "1/2");
    }

    @Test
    void withoutPageAndSizeTheFirstPageOfTheDefaultSizeIsAsked() {
        stubPage("2026-11-18", 0, 1000, "[" + line("T991234560UDDDDDDDDD", 5, "2026-11-18T00:00:00Z") + "]", false);
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=2026-11-18")
                .then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(1000)).body("has_more", equalTo(false))
                .body("lines[0].bank_tran_id", equalTo("T991234560UDDDDDDDDD"));
    }

    @Test
    void aPageLargerThanTheMaximumIsRefusedListingEveryParameterAndTheBankIsNotCalled() {
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=2026-11-17&size=5001")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", containsInAnyOrder("size"));
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=17-11-2026&page=-1&size=0")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("date", "page", "size"));
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=2026-11-17&page=x")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("page"));
        BankStub.bank().verify(0, getRequestedFor(urlPathEqualTo("/v2/statements"))
                .withQueryParam("date", is("2026-11-17")));
    }

    @Test
    void opsAndTheStatementReaderMayReadItNobodyElse() {
        stubPage("2026-11-16", 0, 10, "[]", false);
        given().when().get("/v1/bank-statements?date=2026-11-16&size=10").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a"))
                .when().get("/v1/bank-statements?date=2026-11-16&size=10").then().statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", READER).when().get("/v1/bank-statements?date=2026-11-16&size=10")
                .then().statusCode(200).body("lines.size()", equalTo(0)).body("has_more", equalTo(false));
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=2026-11-16&size=10")
                .then().statusCode(200);
    }

    @Test
    void aBadDateIs400AndAnAbsentBankIs502() {
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=20-11-2026").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("date"));
        BankStub.bank().stubFor(get(urlPathEqualTo("/v2/statements"))
                .withQueryParam("date", is("2026-11-19"))
                .willReturn(aResponse().withStatus(500)));
        given().header("Authorization", OPS).when().get("/v1/bank-statements?date=2026-11-19").then().statusCode(502)
                .contentType("application/problem+json")
                .body("code", equalTo("BANK_UNAVAILABLE"));
    }

    @Test
    void anAnswerThatIsNotAPageIsNeverTakenForTheWholeStatement() {
        // a bank that ignores paging (no has_more), or sends more lines than asked, or another day, or a line
        // without an amount: 502, never a page that looks complete
        String[] answers = {
                "{\"date\":\"2026-11-15\",\"lines\":[]}",
                "{\"date\":\"2026-11-15\",\"lines\":[" + line("T991234560UEEEEEEEEE", 1, "2026-11-15T00:00:00Z") + ","
                        + line("T991234560UFFFFFFFFF", 1, "2026-11-15T00:00:00Z") + "],\"has_more\":false}",
                "{\"date\":\"2026-11-14\",\"lines\":[],\"has_more\":false}",
                "{\"date\":\"2026-11-15\",\"lines\":[{\"bank_tran_id\":\"T991234560UEEEEEEEEE\",\"currency\":\"KRW\","
                        + "\"executed_at\":\"2026-11-15T00:00:00Z\"}],\"has_more\":false}"};
        for (int i = 0; i < answers.length; i++) {
            BankStub.bank().stubFor(get(urlPathEqualTo("/v2/statements"))
                    .withQueryParam("date", is("2026-11-15"))
                    .withQueryParam("page", is(Integer.toString(i)))
                    .willReturn(okJson(answers[i])));
            given().header("Authorization", OPS)
                    .when().get("/v1/bank-statements?date=2026-11-15&size=1&page=" + i).then().statusCode(502)
                    .contentType("application/problem+json")
                    .body("code", equalTo("BANK_UNAVAILABLE"));
        }
    }

    private static void stubPage(String date, int page, int size, String lines, boolean hasMore) {
        BankStub.bank().stubFor(get(urlPathEqualTo("/v2/statements"))
                .withQueryParam("date", is(date))
                .withQueryParam("page", is(Integer.toString(page)))
                .withQueryParam("size", is(Integer.toString(size)))
                .willReturn(okJson("{\"date\":\"" + date + "\",\"page\":" + page + ",\"size\":" + size + ",\"lines\":"
                        + lines + ",\"has_more\":" + hasMore + "}")));
    }

    /** A query parameter's exact value (WireMock's equalTo; Hamcrest's is taken). */
    private static StringValuePattern is(String value) {
        return WireMock.equalTo(value);
    }

    private static String line(String ref, long amount, String executedAt) {
        return "{\"bank_tran_id\":\"" + ref + "\",\"amount\":" + amount + ",\"currency\":\"KRW\",\"executed_at\":\""
                + executedAt + "\"}";
    }
}
