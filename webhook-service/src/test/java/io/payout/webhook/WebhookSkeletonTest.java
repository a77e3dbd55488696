package io.payout.webhook;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.webhook.config.WebhookConfig;
import io.payout.webhook.event.WebhookEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The service starts on its own database and vhost, is ready, and its operability endpoints answer. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookSkeletonTest {

    @Inject
    WebhookConfig config;

    @Test
    void readyWhenDatabaseAndBrokerAreReachable() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiAndMetricsAnswer() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Test
    void unknownPathIsAProblemNotFound() {
        given().get("/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void configDefaults() {
        assertThat(config.bodySizeMaxBytes()).isEqualTo(65536);
    }

    @Test
    void eventRoundTripsThroughTheEntity() throws Throwable {
        String id = "msg_" + UUID.randomUUID();
        String body = "{\"type\": \"transfer.succeeded\", \"bank_tran_id\": \"X1\"}";
        WebhookEvent e = new WebhookEvent();
        e.eventId = id;
        e.receivedAt = Instant.now();
        e.headers = Map.of("webhook-id", id, "webhook-timestamp", "1700000000");
        e.body = body;
        e.eventType = "transfer.succeeded";
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(e::persist));

        assertThat(Rows.count("select count(*) from webhook_events where event_id = ? "
                + "and headers->>'webhook-id' = ? and body = ?", id, id, body)).isEqualTo(1);
        WebhookEvent read = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> WebhookEvent.<WebhookEvent>findById(id)));
        assertThat(read.headers).containsEntry("webhook-timestamp", "1700000000");
        assertThat(read.body).isEqualTo(body);
    }
}
