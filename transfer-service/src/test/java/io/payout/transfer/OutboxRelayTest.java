package io.payout.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.outbox.OutboxRelay;
import io.payout.platform.outbox.RelayFailpoint;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.post;
import static io.payout.transfer.TransferApi.validBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The outbox relay against the real broker: exactly one message per accepted transfer, never lost on a crash. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class OutboxRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OutboxRelay relay;
    @Inject
    RelayFailpoint failpoint;

    @Test
    void eachAcceptedTransferYieldsExactlyOneMessage() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), "ledger.hold")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String key = newKey();
                ids.add(post(CLIENT_A, key, validBody()).then().statusCode(201).extract().path("id"));
                post(CLIENT_A, key, validBody()).then().statusCode(201); // a retry publishes nothing more
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> byTransfer(probe, ids).size() == ids.size());
            // the retries and later poll cycles must not add a copy
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> messagesFor(probe, ids).size() == ids.size());

            for (BrokerProbe.Received m : messagesFor(probe, ids)) {
                JsonNode envelope = JSON.readTree(m.body());
                String transferId = envelope.at("/payload/transfer_id").asText();
                assertThat(m.type()).isEqualTo("ledger.hold");
                assertThat(m.deliveryMode()).as("persistent").isEqualTo(2);
                assertThat(m.contentType()).isEqualTo("application/json");
                assertThat(m.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
                assertThat(m.header("occurred_at")).isEqualTo(envelope.get("occurred_at").asText());
                assertThat(envelope.get("message_id").asText()).isEqualTo(m.messageId());
                assertThat(envelope.get("type").asText()).isEqualTo("ledger.hold");
                assertThat(envelope.get("aggregate_id").asText()).isEqualTo(transferId);
                assertThat(envelope.at("/payload/client_id").asText()).isEqualTo(CLIENT_A);
                assertThat(envelope.at("/payload/amount_minor").asLong()).isEqualTo(15000);
                assertThat(Rows.count("select count(*) from outbox where id = ?::uuid and aggregate_id = ?",
                        m.messageId(), transferId)).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Rows.count("select count(*) from outbox where published_at is null") == 0);
        }
    }

    @Test
    void crashBetweenPublishAndMarkRepublishesWithTheSameMessageId() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), "ledger.hold")) {
            failpoint.crashAfterPublish(1);
            String id = post(CLIENT_A, newKey(), validBody()).then().statusCode(201).extract().path("id");

            await().atMost(Duration.ofSeconds(30)).until(() -> messagesFor(probe, List.of(id)).size() == 2);
            List<BrokerProbe.Received> copies = messagesFor(probe, List.of(id));
            assertThat(copies.get(0).messageId()).isEqualTo(copies.get(1).messageId());
            assertThat(copies.get(0).body()).isEqualTo(copies.get(1).body());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Rows.count("select count(*) from outbox where aggregate_id = ? and published_at is not null", id) == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> messagesFor(probe, List.of(id)).size() == 2);
        }
    }

    @Test
    void concurrentRelaysPublishEachRowOnce() throws Exception {
        int rows = 300;
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), "test.backlog")) {
            // a backlog written in one statement, then drained by 4 relays at once plus the application's own
            Rows.count("""
                    with ins as (
                      insert into outbox (id, type, aggregate_id, payload, occurred_at)
                      select gen_random_uuid(), 'test.backlog', 'backlog-' || n, jsonb_build_object('n', n), now()
                        from generate_series(1, ?) n
                      returning 1)
                    select count(*) from ins""", rows);
            Concurrently.run(4, () -> {
                int published;
                do {
                    published = relay.drainBatch().await().atMost(Duration.ofSeconds(30));
                } while (published > 0);
                return null;
            });

            await().atMost(Duration.ofSeconds(30)).until(() -> probe.received().size() >= rows);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> probe.received().size() == rows);
            Set<String> messageIds = probe.received().stream().map(BrokerProbe.Received::messageId)
                    .collect(Collectors.toSet());
            assertThat(messageIds).hasSize(rows);
            assertThat(Rows.count("select count(*) from outbox where type = 'test.backlog' and published_at is null"))
                    .isZero();
        }
    }

    private static List<BrokerProbe.Received> messagesFor(BrokerProbe probe, List<String> transferIds) {
        return probe.received().stream()
                .filter(m -> transferIds.stream().anyMatch(id -> m.body().contains("\"transfer_id\":\"" + id + "\"")))
                .toList();
    }

    private static Map<String, UUID> byTransfer(BrokerProbe probe, List<String> transferIds) {
        return messagesFor(probe, transferIds).stream().collect(Collectors.toMap(
                m -> m.body().replaceAll(".*\"transfer_id\":\"([0-9a-f-]{36})\".*", "$1"),
                m -> UUID.fromString(m.messageId()), (a, b) -> a));
    }
}
