package io.payout.system;

import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics of docs/reference/metrics.md on the running stack: every documented metric is exposed, and the
 * cross-service ones move when their event happens (deltas only; other suites share the stack).
 */
@ExtendWith(SharedStack.class)
class MetricsIT {
    private static final List<String> SERVICES = List.of("transfer", "ledger", "bank_adapter", "webhook");
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `(payout_[a-z0-9_]+)` \\| ([a-z]+) \\| [^|]* \\| ([a-z]+) \\|");
    private static Payout payout;

    @BeforeAll
    static void clients() throws Exception {
        payout = new Payout(SharedStack.stack());
    }

    @Test
    void everyDocumentedMetricIsExposedByTheRunningStack() throws IOException {
        // normal traffic first: series that appear with the first transfer ("traffic" in the catalog)
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        // time in DISPATCHED is recorded only when the result did not overtake the "dispatched" event
        for (int i = 0; i < 3 && !wentThroughDispatched(token, settled(client, token)); i++) {
            continue;
        }

        String scrape = scrapeAll();
        List<String> missing = new ArrayList<>();
        documented().forEach((name, row) -> {
            if (row[1].equals("fault")) {
                return; // exists only once its fault happened; MetricsCatalogTest checks it is registered
            }
            String series = switch (row[0]) {
                case "histogram" -> name + "_bucket";
                case "timer" -> name + "_count";
                default -> name;
            };
            if (scrape.lines().noneMatch(l -> l.startsWith(series + "{") || l.startsWith(series + " "))) {
                missing.add(name);
            }
        });
        assertThat(missing).as("documented in docs/reference/metrics.md but not exposed").isEmpty();
        for (String service : SERVICES) {
            String own = scrape(service);
            assertThat(own).as(service).contains("payout_outbox_lag_seconds ", "payout_outbox_backlog ");
        }
    }

    @Test
    void aSettledTransferRecordsApprovalDispatchedAndBankMetrics() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        double approvals = metric("payout_transfer_approval_seconds_count");
        double dispatched = metric("payout_transfer_dispatched_seconds_count", "outcome=\"SETTLED\"");
        double calls = metric("payout_bank_calls_total", "operation=\"transfer\"");
        double latency = metric("payout_bank_call_latency_seconds_count", "operation=\"transfer\"");
        double webhooks = metric("payout_webhooks_stored_total", "outcome=\"forwarded\"");

        String id = settled(client, token);

        await().atMost(Payout.SETTLE_WAIT).until(() ->
                metric("payout_transfer_approval_seconds_count") >= approvals + 1);
        if (wentThroughDispatched(token, id)) {
            assertThat(metric("payout_transfer_dispatched_seconds_count", "outcome=\"SETTLED\""))
                    .isGreaterThanOrEqualTo(dispatched + 1);
        }
        assertThat(metric("payout_bank_calls_total", "operation=\"transfer\"")).isGreaterThanOrEqualTo(calls + 1);
        assertThat(metric("payout_bank_call_latency_seconds_count", "operation=\"transfer\""))
                .isGreaterThanOrEqualTo(latency + 1);
        assertThat(metric("payout_webhooks_stored_total", "outcome=\"forwarded\""))
                .isGreaterThanOrEqualTo(webhooks + 1);
        assertThat(metric("payout_bank_breaker_state")).as("closed").isZero();
    }

    @Test
    void duplicatesAreCountedAtTheIngressAndWebhookLayers() {
        String client = "client-" + UUID.randomUUID();
        String token = payout.token(client);
        String account = payout.fundedAccount(client, 100_000);
        double ingress = metric("payout_duplicates_blocked_total", "layer=\"ingress\"");
        String key = UUID.randomUUID().toString();
        String id = payout.postTransfer(token, key, account, "12345678901234", "1000").then().statusCode(201)
                .extract().path("id");
        payout.postTransfer(token, key, account, "12345678901234", "1000").then().statusCode(201);
        assertThat(metric("payout_duplicates_blocked_total", "layer=\"ingress\"")).isEqualTo(ingress + 1);

        assertThat(payout.awaitTerminal(token, id)).isEqualTo("SETTLED");
        String ref = payout.transfer(token, id).path("external_ref");
        await().atMost(Payout.SETTLE_WAIT).until(() -> !payout.query("webhook",
                "select event_id from webhook_events where body like ?", "%" + ref + "%").isEmpty());
        Map<String, Object> original = payout.query("webhook",
                "select event_id, body from webhook_events where body like ?", "%" + ref + "%").get(0);
        double webhook = metric("payout_duplicates_blocked_total", "layer=\"webhook\"");

        payout.deliverWebhook((String) original.get("event_id"), (String) original.get("body")).then().statusCode(200);

        assertThat(metric("payout_duplicates_blocked_total", "layer=\"webhook\"")).isGreaterThanOrEqualTo(webhook + 1);
    }

    @Test
    void aDeadLetterIsCountedOpenUntilReplayed() {
        String queue = "test.metrics." + UUID.randomUUID();
        String label = "queue=\"" + queue + "\"";
        UUID id = UUID.randomUUID();
        DeadLetterRows.publish(payout.stack().vhost(), "transfer.events", queue, id, UUID.randomUUID().toString(),
                Instant.now());

        await().atMost(Payout.SETTLE_WAIT).until(() -> Metrics.in(scrape("transfer"), "payout_dead_letters_open", label) == 1);

        payout.ops("transfer").contentType("application/json").body("{\"reason\":\"metrics system test\"}")
                .post("/v1/ops/dead-letters/" + id + "/replay").then().statusCode(200);
        await().atMost(Payout.SETTLE_WAIT).until(() -> Metrics.in(scrape("transfer"), "payout_dead_letters_open", label) == 0);
    }

    private static String settled(String client, String token) {
        String account = payout.fundedAccount(client, 100_000);
        String id = payout.postTransfer(token, UUID.randomUUID().toString(), account, "12345678901234", "15000")
                .then().statusCode(201).extract().path("id");
        assertThat(payout.awaitTerminal(token, id)).isEqualTo("SETTLED");
        return id;
    }

    /** Summed over the four services (Payout.metric would also add exemplars' timestamps). */
    private static double metric(String name, String... labels) {
        return Metrics.in(scrapeAll(), name, labels);
    }

    private static boolean wentThroughDispatched(String token, String id) {
        return payout.transfer(token, id).jsonPath().getList("history.state").contains("DISPATCHED");
    }

    private static String scrape(String service) {
        return given().baseUri(payout.stack().url(service)).when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
    }

    private static String scrapeAll() {
        StringBuilder all = new StringBuilder();
        SERVICES.forEach(s -> all.append(scrape(s)).append('\n'));
        return all.toString();
    }

    /** Documented name → {type, series}. */
    private static Map<String, String[]> documented() throws IOException {
        Map<String, String[]> names = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LocalStack.ROOT.resolve("docs/reference/metrics.md"))) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.find()) {
                names.put(m.group(1), new String[]{m.group(2), m.group(3)});
            }
        }
        assertThat(names).hasSizeGreaterThan(20);
        return names;
    }
}
