package io.payout.bankadapter;

import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/bank-statements}: the bank's statement, for ops only. */
@QuarkusTest
@WithTestResource(BankStub.class)
class BankStatementTest {

    @Test
    void opsGetsTheBanksLinesForTheDate() {
        BankStub.bank().stubFor(get(urlEqualTo("/v2/statements?date=2026-11-20")).willReturn(okJson(
                "{\"date\":\"2026-11-20\",\"lines\":[{\"bank_tran_id\":\"T991234560UAAAAAAAAA\",\"amount\":15000,"
                        + "\"currency\":\"KRW\",\"executed_at\":\"2026-11-20T01:02:03.456Z\"}]}")));

        given().header("Authorization", "Bearer " + Tokens.forClient("ops-1", "ops"))
                .when().get("/v1/bank-statements?date=2026-11-20")
                .then().statusCode(200)
                .body("date", equalTo("2026-11-20"))
                .body("lines.size()", equalTo(1))
                .body("lines[0].bank_tran_id", equalTo("T991234560UAAAAAAAAA"))
                .body("lines[0].amount", equalTo(15000))
                .body("lines[0].currency", equalTo("KRW"))
                .body("lines[0].executed_at", equalTo("2026-11-20T01:02:03.456Z"));
    }

    @Test
    void onlyOpsMayReadIt() {
        given().when().get("/v1/bank-statements?date=2026-11-20").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a"))
                .when().get("/v1/bank-statements?date=2026-11-20").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void aBadDateIs400AndAnAbsentBankIs502() {
        String ops = "Bearer " + Tokens.forClient("ops-1", "ops");
        given().header("Authorization", ops).when().get("/v1/bank-statements?date=20-11-2026").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("date"));
        BankStub.bank().stubFor(get(urlEqualTo("/v2/statements?date=2026-11-19")).willReturn(aResponse().withStatus(500)));
        given().header("Authorization", ops).when().get("/v1/bank-statements?date=2026-11-19").then().statusCode(502)
                .contentType("application/problem+json")
                .body("code", equalTo("BANK_UNAVAILABLE"));
    }
}
