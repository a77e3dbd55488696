package io.payout.transfer;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.CLIENT_B;
import static io.payout.transfer.TransferApi.get;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.post;
import static io.payout.transfer.TransferApi.validBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferIntakeTest {

    @Test
    void firstPostCreatesPendingTransferWithHoldCommand() {
        String key = newKey();
        Response r = post(CLIENT_A, key, validBody());
        r.then().statusCode(201)
                .header("Location", endsWith("/v1/transfers/" + r.jsonPath().getString("id")))
                .body("state", equalTo("PENDING"))
                .body("processing", equalTo(true))
                .body("client_request_id", equalTo(key))
                .body("amount", equalTo("15000"))
                .body("currency", equalTo("KRW"))
                .body("destination.bank_code", equalTo("004"))
                .body("destination.account_number", equalTo("12345678901234"))
                .body("history", hasSize(1))
                .body("history[0].state", equalTo("PENDING"));
        assertThat(r.header("Idempotent-Replayed")).isNull();
        String id = r.jsonPath().getString("id");
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and type = 'ledger.hold'", id))
                .isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and jsonb_typeof(payload) = 'object' "
                + "and payload->>'client_id' = ? and (payload->>'amount_minor')::bigint = 15000", id, CLIENT_A))
                .isEqualTo(1);
    }

    @Test
    void laterRepeatReplaysTheFirstAnswerVerbatim() {
        String key = newKey();
        Response first = post(CLIENT_A, key, validBody());
        Response again = post(CLIENT_A, key, validBody());
        again.then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location"));
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(Rows.count("select count(*) from transfers where client_request_id = ?", key)).isEqualTo(1);
    }

    @Test
    void repeatWithDifferentlySpelledSameIntentIsAReplay() {
        String key = newKey();
        post(CLIENT_A, key, validBody()).then().statusCode(201);
        String respelled = """
                {"currency": "krw", "amount": "15000", "memo": "rent",
                 "destination": {"account_number": "1234-5678-901234", "bank_code": "004"},
                 "source_account": "acc-123"}""";
        post(CLIENT_A, key, respelled).then().statusCode(201).header("Idempotent-Replayed", "true");
    }

    @Test
    void reusedKeyWithAnotherPayloadIsRefusedAndWritesNothing() {
        String key = newKey();
        post(CLIENT_A, key, validBody()).then().statusCode(201);
        var before = TransferApi.Written.now();
        post(CLIENT_A, key, TransferApi.body("15001")).then().statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("type", equalTo("urn:payout:problem:idempotency-key-reused"))
                .body("status", equalTo(422));
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @Test
    void keysAreScopedPerClient() {
        String key = newKey();
        String a = post(CLIENT_A, key, validBody()).then().statusCode(201).extract().path("id");
        String b = post(CLIENT_B, key, validBody()).then().statusCode(201).extract().path("id");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void getReadsOwnTransferRightAfterPostWithHistory() {
        String key = newKey();
        String id = post(CLIENT_A, key, validBody()).then().statusCode(201).extract().path("id");
        get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("state", equalTo("PENDING"))
                .body("history[0].state", equalTo("PENDING"));
        get(CLIENT_A, "/v1/transfers?idempotency_key=" + key).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void anotherClientsTransferIsNotFound() {
        String key = newKey();
        String id = post(CLIENT_A, key, validBody()).then().statusCode(201).extract().path("id");
        get(CLIENT_B, "/v1/transfers/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("NOT_FOUND"));
        get(CLIENT_B, "/v1/transfers?idempotency_key=" + key).then().statusCode(404);
    }

    @Test
    void unknownOrMalformedIdIsNotFound() {
        get(CLIENT_A, "/v1/transfers/" + UUID.randomUUID()).then().statusCode(404);
        get(CLIENT_A, "/v1/transfers/not-a-uuid").then().statusCode(404);
    }

    @Test
    void lookupWithoutIdempotencyKeyIsABadRequest() {
        get(CLIENT_A, "/v1/transfers").then().statusCode(400)
                .body("errors[0].field", equalTo("idempotency_key"));
    }

    @Test
    void openApiAndHealthAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v1/transfers'.post", org.hamcrest.Matchers.notNullValue());
        given().when().get("/q/metrics").then().statusCode(200);
        assertThat(Tokens.ISSUER).isNotBlank();
    }
}
