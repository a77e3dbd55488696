package io.payout.system;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.DeadLetterRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The saga end to end across the four services and the sandbox bank, over RabbitMQ, with the SPEC §11 invariant
 * checker run after every scenario.
 */
@ExtendWith(SharedStack.class)
class SagaIT {
    private static Payout payout;
    private static Invariants invariants;

    @BeforeAll
    static void clients() throws Exception {
        payout = new Payout(SharedStack.stack());
        invariants = new Invariants(payout);
    }

    @AfterEach
    void invariantsHold() {
        invariants.check();
    }

    @Test
    void happyPathSettlesWithHoldThenSettleAndOneExecution() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String account = payout.fundedAccount(client, 100_000);

        String id = payout.postTransfer(token, UUID.randomUUID().toString(), account, "12345678901234", "15000")
                .then().statusCode(201).extract().path("id");

        assertThat(payout.awaitTerminal(token, id)).isEqualTo("SETTLED");
        String ref = payout.transfer(token, id).path("external_ref");
        assertThat(ref).hasSize(20);
        assertThat(payout.executions()).containsEntry(ref, 1);
        await().atMost(Payout.SETTLE_WAIT).until(() -> payout.held(account) == 0);
        assertThat(payout.available(account)).isEqualTo(85_000);
        assertThat(payout.query("ledger", "select kind from postings where transfer_id = ?::uuid order by created_at", id))
                .extracting(r -> r.get("kind")).containsExactly("HOLD", "SETTLE");
        List<String> history = payout.transfer(token, id).jsonPath().getList("history.state");
        assertThat(history).startsWith("PENDING").endsWith("SETTLED");
    }

    @Test
    void insufficientFundsFailsWithoutCallingTheBank() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String account = payout.fundedAccount(client, 10_000);
        Map<String, Integer> before = payout.executions();

        String id = payout.postTransfer(token, UUID.randomUUID().toString(), account, "12345678901234", "15000")
                .then().statusCode(201).extract().path("id");

        assertThat(payout.awaitTerminal(token, id)).isEqualTo("FAILED");
        payout.transfer(token, id).then().body("failure_reason", equalTo("INSUFFICIENT_FUNDS"));
        assertThat(payout.count("bank_adapter", "select count(*) from dispatches where transfer_id = ?::uuid", id)).isZero();
        assertThat(payout.executions()).isEqualTo(before);
        assertThat(payout.available(account)).isEqualTo(10_000);
        assertThat(payout.held(account)).isZero();
    }

    @Test
    void rejectedDestinationFailsAndReleasesTheHold() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String account = payout.fundedAccount(client, 50_000);

        String id = payout.postTransfer(token, UUID.randomUUID().toString(), account, "12345678900000", "20000")
                .then().statusCode(201).extract().path("id");

        assertThat(payout.awaitTerminal(token, id)).isEqualTo("FAILED");
        await().atMost(Payout.SETTLE_WAIT).until(() -> payout.held(account) == 0);
        assertThat(payout.available(account)).isEqualTo(50_000);
        assertThat(payout.query("ledger", "select kind from postings where transfer_id = ?::uuid order by created_at", id))
                .extracting(r -> r.get("kind")).containsExactly("HOLD", "RELEASE");
    }

    @Test
    void theSameWebhookFiveTimesAndConcurrentlyMakesOneTransitionAndOneForward() throws Exception {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String id = settledTransfer(client, token);
        String ref = payout.transfer(token, id).path("external_ref");
        Map<String, Object> original = payout.query("webhook",
                "select event_id, body from webhook_events where body like ?", "%" + ref + "%").get(0);
        String eventId = (String) original.get("event_id");
        String body = (String) original.get("body");

        for (int i = 0; i < 5; i++) {
            payout.deliverWebhook(eventId, body).then().statusCode(200);
        }
        List<Integer> statuses = Concurrently.run(5, () -> payout.deliverWebhook(eventId, body).statusCode());

        assertThat(statuses).containsOnly(200);
        assertThat(payout.count("webhook", "select count(*) from webhook_events where event_id = ?", eventId)).isEqualTo(1);
        assertThat(payout.count("webhook", "select count(*) from outbox where aggregate_id = ?", ref)).isEqualTo(1);
        List<String> history = payout.transfer(token, id).jsonPath().getList("history.state");
        assertThat(history.stream().filter("SETTLED"::equals).count()).isEqualTo(1);
    }

    @Test
    void aContradictingWebhookAfterSettledChangesNothingAndIsRecorded() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String id = settledTransfer(client, token);
        String ref = payout.transfer(token, id).path("external_ref");

        payout.deliverWebhook("evt-contradict-" + UUID.randomUUID(), """
                {"type":"transfer.result","data":{"bank_tran_id":"%s","status":"FAILED","amount":15000,
                 "currency":"KRW","reason":"LATE_REVERSAL"}}""".formatted(ref)).then().statusCode(200);

        await().atMost(Payout.SETTLE_WAIT).until(() -> payout.ops("transfer")
                .when().get("/v1/ops/anomalies?transfer_id=" + id).then().statusCode(200)
                .extract().jsonPath().getList("items").size() == 1);
        payout.transfer(token, id).then().body("state", equalTo("SETTLED"));
        assertThat(payout.count("ledger", "select count(*) from postings where transfer_id = ?::uuid and kind = 'RELEASE'", id))
                .isZero();
    }

    @Test
    void everyMessageTypeRepublishedHasNoSecondEffect() throws Exception {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String vhost = SharedStack.stack().vhost();
        List<BrokerProbe.Received> captured;
        String id;
        try (BrokerProbe all = BrokerProbe.bind(vhost, "#")) {
            id = settledTransfer(client, token);
            String settledId = id;
            await().atMost(Payout.SETTLE_WAIT).until(() -> payout.count("ledger",
                    "select count(*) from postings where transfer_id = ?::uuid and kind = 'SETTLE'", settledId) == 1);
            captured = all.received().stream().filter(m -> m.body().contains(settledId)).toList();
        }
        Set<String> types = captured.stream().map(BrokerProbe.Received::type).collect(Collectors.toSet());
        assertThat(types).contains("ledger.hold", "ledger.hold-placed", "bank.dispatch", "bank.dispatched",
                "bank.result", "ledger.settle");
        String ref = payout.transfer(token, id).path("external_ref");
        List<BrokerProbe.Received> webhookForward = new ArrayList<>();
        try (BrokerProbe all = BrokerProbe.bind(vhost, "webhook.bank-result")) {
            // the webhook's forward carries the ref, not the transfer id: replay the stored one
            Map<String, Object> stored = payout.query("webhook",
                    "select id::text id, type, payload::text payload from outbox where aggregate_id = ?", ref).get(0);
            webhookForward.add(new BrokerProbe.Received((String) stored.get("id"), (String) stored.get("type"), 2,
                    "application/json", Map.of(), BrokerProbe.envelope((String) stored.get("id"),
                    (String) stored.get("type"), ref, (String) stored.get("payload"))));
        }
        Snapshot before = snapshot(id, ref);
        double duplicatesBefore = payout.metric("payout_duplicates_blocked_total", "layer=\"inbox\"");

        List<BrokerProbe.Received> replay = new ArrayList<>(captured);
        replay.addAll(webhookForward);
        for (BrokerProbe.Received m : replay) {
            BrokerProbe.publish(vhost, m.type(), m.messageId(), m.body());
        }
        // a late "dispatched" with a new message id must be a no-op too
        BrokerProbe.publish(vhost, "bank.dispatched", UUID.randomUUID().toString(), BrokerProbe.envelope(
                UUID.randomUUID().toString(), "bank.dispatched", id,
                "{\"transfer_id\":\"" + id + "\",\"external_ref\":\"" + ref + "\",\"outcome\":\"ACCEPTED\"}"));

        await().atMost(Payout.SETTLE_WAIT).until(() ->
                payout.metric("payout_duplicates_blocked_total", "layer=\"inbox\"") >= duplicatesBefore + replay.size());
        assertThat(snapshot(id, ref)).isEqualTo(before);
    }

    @Test
    void poisonMessagesAreDeadLetteredWithAReasonAndOthersKeepFlowing() {
        String vhost = SharedStack.stack().vhost();
        // message type → the service (its database) and the queue that must keep the poison as a dead letter
        Map<String, String[]> keptBy = Map.of("ledger.hold", new String[]{"ledger", "ledger.commands"},
                "bank.dispatch", new String[]{"bank_adapter", "bank-adapter.commands"},
                "bank.result", new String[]{"transfer", "transfer.events"});
        // our poison, by message id (earlier scenarios may have left dead letters of their own: only ours count)
        Map<String, String[]> poison = new java.util.HashMap<>();
        for (var e : keptBy.entrySet()) {
            String id = UUID.randomUUID().toString();
            poison.put(id, e.getValue());
            BrokerProbe.publish(vhost, e.getKey(), id, "{\"not\": \"an envelope\"");
        }
        String ghost = UUID.randomUUID().toString();
        poison.put(ghost, keptBy.get("bank.result"));
        BrokerProbe.publish(vhost, "bank.result", ghost, BrokerProbe.envelope(ghost, "bank.result", "ghost",
                "{\"transfer_id\":\"" + UUID.randomUUID()
                        + "\",\"external_ref\":\"X\",\"outcome\":\"SUCCEEDED\",\"source\":\"INQUIRY\"}"));

        String client = "client-" + UUID.randomUUID();
        settledTransfer(client, payout.token(client)); // the queues keep flowing behind the poison

        // each service's keeper drains its dead-letter queue into its dead_letters table: that is what ops sees
        await().atMost(Payout.SETTLE_WAIT).until(() -> poison.entrySet().stream().allMatch(p ->
                DeadLetterRows.countOf(SharedStack.stack().database(p.getValue()[0]), p.getKey()) == 1));
        for (var p : poison.entrySet()) {
            DeadLetterRows.Kept m = DeadLetterRows.matching(SharedStack.stack().database(p.getValue()[0]),
                    k -> p.getKey().equals(k.messageId())).getFirst();
            assertThat(m.reason()).as("reason of %s", p.getKey()).isNotBlank();
            assertThat(m.attempts()).isEqualTo(5);
            assertThat(m.queue()).isEqualTo(p.getValue()[1]);
        }
    }

    @Test
    void twoHundredTransfersFromTwentyClientsEachPostedTwice() throws Exception {
        int clients = 20;
        int perClient = 10;
        List<String[]> accounts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String client = "load-" + UUID.randomUUID();
            accounts.add(new String[]{client, payout.token(client), payout.fundedAccount(client, 1_000_000)});
        }
        java.util.concurrent.atomic.AtomicInteger nextClient = new java.util.concurrent.atomic.AtomicInteger();
        List<List<String>> perClientIds = Concurrently.run(clients, () -> {
            String[] me = accounts.get(nextClient.getAndIncrement());
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < perClient; i++) {
                String key = UUID.randomUUID().toString();
                // the mobile double tap: the same POST twice at the same moment
                List<String> twice = Concurrently.run(2, () -> payout.postTransfer(me[1], key, me[2],
                        "12345678901234", "1000").then().statusCode(201).extract().path("id"));
                assertThat(twice.get(0)).isEqualTo(twice.get(1));
                mine.add(twice.get(0));
            }
            return mine;
        });
        List<String> ids = new ArrayList<>();
        perClientIds.forEach(ids::addAll);
        assertThat(Set.copyOf(ids)).hasSize(clients * perClient);

        List<String> all = ids;
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> payout.count("transfer",
                "select count(*) from transfers where id = any(?::uuid[]) and state = 'SETTLED'",
                (Object) all.toArray(String[]::new)) == all.size());
        Map<String, Integer> executions = payout.executions();
        List<Map<String, Object>> refs = payout.query("transfer",
                "select external_ref from transfers where id = any(?::uuid[])", (Object) all.toArray(String[]::new));
        assertThat(refs).allSatisfy(r -> assertThat(executions.get((String) r.get("external_ref"))).isEqualTo(1));
        for (String[] a : accounts) {
            await().atMost(Payout.SETTLE_WAIT).until(() -> payout.held(a[2]) == 0);
            assertThat(payout.available(a[2])).isEqualTo(1_000_000 - perClient * 1000);
        }
        List<Map<String, Object>> latency = payout.query("transfer", """
                select percentile_cont(0.5) within group (order by ms) p50, percentile_cont(0.95) within group (order by ms) p95
                  from (select extract(epoch from (h.at - t.created_at)) * 1000 ms
                          from transfers t join transfer_history h on h.transfer_id = t.id and h.state = 'SETTLED'
                         where t.id = any(?::uuid[])) x""", (Object) all.toArray(String[]::new));
        System.out.printf("[figures] accept -> SETTLED over %d transfers: p50 %.0f ms, p95 %.0f ms%n", all.size(),
                ((Number) latency.get(0).get("p50")).doubleValue(), ((Number) latency.get(0).get("p95")).doubleValue());
    }

    // --- helpers ---

    private static String settledTransfer(String client, String token) {
        String account = payout.fundedAccount(client, 100_000);
        String id = payout.postTransfer(token, UUID.randomUUID().toString(), account, "12345678901234", "15000")
                .then().statusCode(201).extract().path("id");
        assertThat(payout.awaitTerminal(token, id)).isEqualTo("SETTLED");
        return id;
    }

    /** Everything a repeated message could have changed about one transfer, in every service and at the bank. */
    private record Snapshot(long history, long postings, long outboxTransfer, long outboxLedger, long outboxBank,
                            long webhookEvents, int executions) {
    }

    private static Snapshot snapshot(String id, String ref) {
        return new Snapshot(
                payout.count("transfer", "select count(*) from transfer_history where transfer_id = ?::uuid", id),
                payout.count("ledger", "select count(*) from postings where transfer_id = ?::uuid", id),
                payout.count("transfer", "select count(*) from outbox where aggregate_id = ?", id),
                payout.count("ledger", "select count(*) from outbox where aggregate_id = ?", id),
                payout.count("bank_adapter", "select count(*) from outbox where aggregate_id = ?", id),
                payout.count("webhook", "select count(*) from webhook_events where body like ?", "%" + ref + "%"),
                payout.executions().getOrDefault(ref, 0));
    }
}
