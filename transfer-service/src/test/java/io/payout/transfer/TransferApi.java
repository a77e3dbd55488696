package io.payout.transfer;

import io.payout.testsupport.Rows;
import io.payout.testsupport.Tokens;
import io.restassured.response.Response;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test fixtures for the public transfer API: bodies, calls, and what the database holds. */
final class TransferApi {
    static final String CLIENT_A = "client-a";
    static final String CLIENT_B = "client-b";

    private TransferApi() {
    }

    static String body(String amount) {
        return """
                {"source_account": "acc-123",
                 "destination": {"bank_code": "004", "account_number": "12345678901234"},
                 "amount": "%s", "currency": "KRW", "memo": "rent"}""".formatted(amount);
    }

    static String validBody() {
        return body("15000");
    }

    static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    static Response post(String client, String key, String body) {
        var spec = given().header("Authorization", "Bearer " + Tokens.forClient(client))
                .contentType("application/json").body(body);
        if (key != null) {
            spec.header("Idempotency-Key", key);
        }
        return spec.when().post("/v1/transfers");
    }

    static Response get(String client, String path) {
        return given().header("Authorization", "Bearer " + Tokens.forClient(client)).when().get(path);
    }

    /** Rows in every table a POST can write. */
    record Written(long transfers, long history, long outbox) {
        static Written now() {
            return new Written(Rows.table("transfers"), Rows.table("transfer_history"), Rows.table("outbox"));
        }
    }
}
