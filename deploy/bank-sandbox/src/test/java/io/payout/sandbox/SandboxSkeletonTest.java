package io.payout.sandbox;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class SandboxSkeletonTest {

    @Test
    void ready() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void noExecutionsBeforeAnyTransfer() {
        given().get("/sandbox/executions").then().statusCode(200)
                .contentType("application/json")
                .body("$", hasSize(0));
    }
}
