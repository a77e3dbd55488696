package io.payout.webhook;

import io.payout.testsupport.Rows;
import io.payout.testsupport.OperableService;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The service starts on its own database and vhost, is ready, and its operability endpoints answer. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookSkeletonTest implements OperableService {

    @Inject
    WebhookConfig config;

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
