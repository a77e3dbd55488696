package io.payout.testsupport;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What every service must offer an operator, as tests any {@code @QuarkusTest} class inherits by implementing this:
 * ready (database and broker reachable), OpenAPI, Prometheus metrics, and problem+json even for unknown paths.
 */
public interface OperableService {

    @Test
    default void readyWhenDatabaseAndBrokerAreReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    default void openApiAndMetricsAnswer() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    default void unknownPathIsAProblemNotFound() {
        given().get("/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("code", equalTo("NOT_FOUND"));
    }
}
