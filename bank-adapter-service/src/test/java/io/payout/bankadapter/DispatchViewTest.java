package io.payout.bankadapter;

import io.payout.bankadapter.Adapter.Transfer;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.payout.bankadapter.Adapter.accepted;
import static io.payout.bankadapter.Adapter.awaitEvent;
import static io.payout.bankadapter.Adapter.inquiryAnswer;
import static io.payout.bankadapter.Adapter.onInquiry;
import static io.payout.bankadapter.Adapter.onTransfer;
import static io.payout.bankadapter.Adapter.transfer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/dispatches/…}: a transfer's dispatch as the adapter knows it, for ops only. */
@QuarkusTest
@WithTestResource(BankStub.class)
class DispatchViewTest {
    private static final String OPS = "Bearer " + Tokens.forClient("ops-1", "ops");

    @Test
    void aDispatchedTransferShowsItsRefStatusAndCallsByTransferIdAndByRef() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        t.dispatch();
        awaitEvent(t.id(), "bank.dispatched");

        JsonPath byId = given().header("Authorization", OPS).when().get("/v1/dispatches/" + t.id())
                .then().statusCode(200).extract().jsonPath();
        assertThat(byId.getString("transfer_id")).isEqualTo(t.id().toString());
        assertThat(byId.getString("external_ref")).isEqualTo(t.ref());
        assertThat(byId.getString("status")).isEqualTo("ACCEPTED");
        assertThat(byId.getString("outcome")).isEqualTo("ACCEPTED");
        assertThat(byId.getInt("calls")).isEqualTo(1);
        assertThat(byId.getInt("waits")).isZero();
        assertThat(byId.getString("last_answer.code")).isEqualTo("ACCEPTED");
        assertThat(byId.getString("last_answer.status")).isEqualTo("PROCESSING");
        assertThat(byId.getLong("request.amount")).isEqualTo(15000);
        assertThat(byId.getString("request.bank_tran_id")).isEqualTo(t.ref());
        assertThat(byId.getString("collision_detail")).isNull();
        Instant created = Instant.parse(byId.getString("created_at"));
        assertThat(Instant.parse(byId.getString("last_call_at"))).isAfterOrEqualTo(created);
        assertThat(Instant.parse(byId.getString("updated_at"))).isAfterOrEqualTo(created);

        JsonPath byRef = given().header("Authorization", OPS).queryParam("external_ref", t.ref())
                .when().get("/v1/dispatches").then().statusCode(200).extract().jsonPath();
        assertThat(byRef.getMap("$")).isEqualTo(byId.getMap("$"));
    }

    @Test
    void aCollisionShowsWhatTheBanksOriginalHasThatOurIntentHasNot() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson("{\"code\":\"DUPLICATE\",\"bank_tran_id\":\"" + t.ref() + "\",\"original\":{"
                + "\"source_account\":\"acc-999\",\"bank_code\":\"004\",\"account_number\":\"55555555555\","
                + "\"amount\":99,\"currency\":\"KRW\",\"status\":\"SUCCEEDED\"}}"));
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "SUCCEEDED", 99, null)));
        t.dispatch();
        awaitEvent(t.id(), "bank.collision");

        given().header("Authorization", OPS).when().get("/v1/dispatches/" + t.id()).then().statusCode(200)
                .body("status", equalTo("COLLISION"))
                .body("collision_detail", containsString("amount 99"))
                .body("last_answer.code", equalTo("DUPLICATE"));
    }

    @Test
    void noDispatchIs404AndAMalformedQueryIs400() {
        given().header("Authorization", OPS).when().get("/v1/dispatches/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("DISPATCH_NOT_FOUND"));
        given().header("Authorization", OPS).queryParam("external_ref", "T991234560UNOSUCHREF")
                .when().get("/v1/dispatches").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("DISPATCH_NOT_FOUND"));
        given().header("Authorization", OPS).when().get("/v1/dispatches").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("external_ref"));
        given().header("Authorization", OPS).when().get("/v1/dispatches/not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("transfer_id"));
    }

    @Test
    void onlyOpsMayReadDispatchesNotEvenTheStatementReader() {
        String path = "/v1/dispatches/" + UUID.randomUUID();
        given().when().get(path).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a")).when().get(path)
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("ledger", "statement-reader"))
                .when().get(path).then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("ledger", "statement-reader"))
                .queryParam("external_ref", "T991234560UNOSUCHREF").when().get("/v1/dispatches")
                .then().statusCode(403);
        given().header("Authorization", OPS).when().get(path).then().statusCode(404);
    }
}
