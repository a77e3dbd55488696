package io.payout.system;

import io.payout.testsupport.BrokerProbe;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The one-command local stack, for real: up.sh brings the four services and the sandbox to ready, the curl it
 * prints creates a transfer with a token from token.sh, and a killed service comes back on the next up.sh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedStack.class)
class LocalStackIT {
    private static LocalStack stack;

    @BeforeAll
    static void up() {
        stack = SharedStack.stack();
    }

    @Test
    @Order(1)
    void everyProcessIsReady() {
        for (String svc : List.of("transfer", "ledger", "bank_adapter", "webhook", "sandbox")) {
            given().baseUri(stack.url(svc)).when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"));
        }
    }

    @Test
    @Order(2)
    void theDocumentedCurlCreatesATransferThatReachesTheBroker() throws Exception {
        String token = stack.token("client-a");
        String key = UUID.randomUUID().toString();
        try (BrokerProbe probe = BrokerProbe.bind(stack.vhost(), "ledger.hold")) {
            String id = given().baseUri(stack.url("transfer"))
                    .header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", key)
                    .contentType("application/json")
                    .body("""
                            {"source_account":"acc-123","destination":{"bank_code":"004","account_number":"12345678901234"},
                             "amount":"15000","currency":"KRW","memo":"rent"}""")
                    .when().post("/v1/transfers")
                    .then().statusCode(201).body("state", equalTo("PENDING"))
                    .extract().path("id");

            given().baseUri(stack.url("transfer")).header("Authorization", "Bearer " + token)
                    .when().get("/v1/transfers/" + id)
                    .then().statusCode(200).body("id", equalTo(id));
            await().atMost(Duration.ofSeconds(20)).until(() -> probe.received().stream()
                    .anyMatch(m -> m.body().contains(id)));
        }
    }

    @Test
    @Order(3)
    void upAgainRestartsOnlyAKilledService() throws Exception {
        long ledgerBefore = stack.pid("ledger-service");
        long transferBefore = stack.pid("transfer-service");
        long zipkinBefore = stack.pid("zipkin");
        ProcessHandle.of(transferBefore).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(transferBefore).isEmpty());

        stack.up();

        assertThat(stack.pid("ledger-service")).isEqualTo(ledgerBefore);
        assertThat(stack.pid("zipkin")).isEqualTo(zipkinBefore);
        assertThat(stack.pid("transfer-service")).isNotEqualTo(transferBefore);
        given().baseUri(stack.url("transfer")).when().get("/q/health/ready").then().statusCode(200);
        RestAssured.reset();
    }
}
