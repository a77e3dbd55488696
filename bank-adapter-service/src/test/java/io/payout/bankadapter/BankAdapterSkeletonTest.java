package io.payout.bankadapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.dispatch.Dispatch;
import io.payout.testsupport.Rows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The service starts on its own database and vhost, is ready, and its operability endpoints answer. */
@QuarkusTest
@WithTestResource(BankStub.class) // the same resource as every test class here: one application boot
class BankAdapterSkeletonTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void readyWhenDatabaseAndBrokerAreReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiAndMetricsAnswer() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"))
                // guaranteed from start-up, before any bank call
                .body(containsString("payout_bank_breaker_state 0.0"))
                .body(containsString("payout_bank_dispatches_waiting "));
    }

    @Test
    void unknownPathIsAProblemNotFound() {
        given().get("/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void dispatchRoundTripsThroughTheEntity() throws Throwable {
        UUID transferId = UUID.randomUUID();
        String ref = "REF" + transferId.toString().replace("-", "").substring(0, 12).toUpperCase();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Dispatch d = new Dispatch();
        d.transferId = transferId;
        d.externalRef = ref;
        d.request = mapper.readTree("{\"bank_tran_id\": \"" + ref + "\", \"amount\": \"15000\"}");
        d.createdAt = now;
        d.updatedAt = now;
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(d::persist));

        assertThat(Rows.count("select count(*) from dispatches where transfer_id = ? and external_ref = ? "
                + "and request->>'amount' = '15000'", transferId, ref)).isEqualTo(1);
        Dispatch read = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> Dispatch.<Dispatch>findById(transferId)));
        assertThat(read.externalRef).isEqualTo(ref);
        assertThat(read.request.get("bank_tran_id").asText()).isEqualTo(ref);
        assertThat(read.outcome).isNull();
        assertThat(read.status).isEqualTo("CALLING");
        assertThat(read.createdAt).isEqualTo(now);
    }
}
