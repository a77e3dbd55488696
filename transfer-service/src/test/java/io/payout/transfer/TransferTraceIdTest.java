package io.payout.transfer;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HexFormat;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.get;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The transfer resource names the trace of the POST that created it (the trace the saga continues), so a transfer
 * leads to its trace in the viewer; a caller's own W3C trace context is honoured, so its trace is that one.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferTraceIdTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theTransferCarriesTheTraceIdOfThePostThatCreatedIt() {
        String callerTrace = hex(16);
        Response created = given().header("Authorization", "Bearer " + Tokens.forClient(CLIENT_A))
                .header("Idempotency-Key", newKey())
                .header("traceparent", "00-" + callerTrace + "-" + hex(8) + "-01")
                .contentType("application/json").body(validBody())
                .when().post("/v1/transfers");

        created.then().statusCode(201).body("trace_id", equalTo(callerTrace));
        String id = created.jsonPath().getString("id");
        get(CLIENT_A, "/v1/transfers/" + id).then().statusCode(200).body("trace_id", equalTo(callerTrace));
        assertThat(Rows.count("select count(*) from transfers where id = ?::uuid and trace_id = ?", id, callerTrace))
                .isEqualTo(1);
        // the hold command leaves in the same trace
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and traceparent like ?",
                id, "00-" + callerTrace + "-%")).isEqualTo(1);
    }

    @Test
    void withoutACallerTraceTheTransferStillGetsATraceOfItsOwn() {
        Response created = TransferApi.post(CLIENT_A, newKey(), validBody());

        created.then().statusCode(201);
        String traceId = created.jsonPath().getString("trace_id");
        assertThat(traceId).matches("[0-9a-f]{32}");
        get(CLIENT_A, "/v1/transfers/" + created.jsonPath().getString("id")).then().statusCode(200)
                .body("trace_id", equalTo(traceId));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
