package io.payout.webhook;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * webhook-service serves the platform's ops API like every service (its one consumer queue, webhook.dispatches, keeps
 * its dead letters): with nothing dead-lettered the lists are empty and a replay of an unknown id is refused.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OpsDeadLettersTest {
    private static final String OPS = "Bearer " + Tokens.forClient("ops-1", "ops");

    @Test
    void theOpsDeadLetterAndAuditApiAnswersWithNothingToShow() {
        given().header("Authorization", OPS).get("/v1/ops/dead-letters").then().statusCode(200)
                .body("page", equalTo(0)).body("items", empty());
        given().header("Authorization", OPS).get("/v1/ops/audit").then().statusCode(200).body("items", empty());
        given().header("Authorization", OPS).contentType("application/json").body("{\"reason\":\"nothing here\"}")
                .post("/v1/ops/dead-letters/" + UUID.randomUUID() + "/replay").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("DEAD_LETTER_NOT_FOUND"));
        given().get("/v1/ops/dead-letters").then().statusCode(401);
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a")).get("/v1/ops/audit").then()
                .statusCode(403);
        assertThat(Rows.table("dead_letters")).isZero();
        assertThat(Rows.table("ops_audit")).isZero();
    }
}
