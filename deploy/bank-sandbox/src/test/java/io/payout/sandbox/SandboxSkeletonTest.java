package io.payout.sandbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The sandbox starts, is ready, and documents its test-only reset and its faults. Same test resource as BankSandboxTest: one boot. */
@QuarkusTest
@WithTestResource(WebhookReceiver.class)
class SandboxSkeletonTest {

    @Test
    void ready() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiSaysTheResetIsForTestsOnly() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/sandbox/executions'.delete.summary", containsString("FOR TESTS ONLY"));
    }

    @Test
    void openApiDocumentsTheFaultsAndMarksTheGarbageAnswersAsExtensions() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/sandbox/faults'.put.description", containsString("EXTENSIONS beyond SPEC §8"))
                .body("paths.'/sandbox/faults'.put.description", containsString("malformed_json"))
                .body("paths.'/sandbox/faults'.put.description", containsString("unexpected_status"))
                .body("paths.'/sandbox/faults'.put.description", containsString("empty_body"))
                .body("paths.'/v2/transfers'.post.description", containsString("drop_response_after_commit"));
    }

    @Test
    void openApiDocumentsStatementPagingAmendmentsAndForcedExecutions() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/v2/statements'.get.description", containsString("has_more"))
                .body("paths.'/v2/statements'.get.description", containsString("statement-page-size-max"))
                .body("paths.'/sandbox/statement-amendments'.post.summary", containsString("FOR TESTS ONLY"))
                .body("paths.'/sandbox/statement-amendments'.post.description", containsString("omit"))
                .body("paths.'/sandbox/executions/{bank_tran_id}/force'.post.description",
                        containsString("No webhook is sent"));
    }
}
