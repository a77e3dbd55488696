package io.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.webhook.config.WebhookConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.payout.webhook.BankWebhooks.eventRows;
import static io.payout.webhook.BankWebhooks.newBankTranId;
import static io.payout.webhook.BankWebhooks.newId;
import static io.payout.webhook.BankWebhooks.outboxRows;
import static io.payout.webhook.BankWebhooks.post;
import static io.payout.webhook.BankWebhooks.published;
import static io.payout.webhook.BankWebhooks.result;
import static io.payout.webhook.BankWebhooks.signedHeaders;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A verified webhook is stored once per event id, with exactly one outgoing message, and every repeat (sequential
 * or concurrent) answers 2xx and forwards nothing (SPEC §6). Checked on the real database and broker.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class BankWebhookTest {
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    @Inject
    WebhookConfig config;

    @TestHTTPResource(BankWebhooks.PATH)
    URI endpoint;

    private String currentSecret() {
        return config.secrets().get(0);
    }

    @Test
    void validWebhookIsStoredAndForwardedExactlyOnce() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), BankWebhooks.TYPE)) {
            String id = newId();
            String ref = newBankTranId();
            String body = result(ref, "SUCCEEDED");
            Map<String, String> headers = signedHeaders(currentSecret(), id, body);

            Response r = post(headers, body);

            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(r.jsonPath().getString("event_id")).isEqualTo(id);
            assertThat(r.jsonPath().getBoolean("duplicate")).isFalse();
            assertThat(r.jsonPath().getBoolean("forwarded")).isTrue();
            // the raw event, exactly as signed, with the headers that prove it
            assertThat(Rows.count("select count(*) from webhook_events where event_id = ? and body = ? "
                            + "and event_type = 'transfer.result' and headers->>'webhook-id' = ? "
                            + "and headers->>'webhook-timestamp' = ? and headers->>'webhook-signature' = ? "
                            + "and received_at > now() - interval '1 minute'",
                    id, body, id, headers.get("webhook-timestamp"), headers.get("webhook-signature"))).isEqualTo(1);
            assertThat(Rows.count("select count(*) from outbox where type = ? and aggregate_id = ? "
                    + "and payload = cast(? as jsonb)", BankWebhooks.TYPE, ref, """
                    {"event_id": "%s", "bank_tran_id": "%s", "status": "SUCCEEDED", "amount": 15000,
                     "currency": "KRW", "reason": null}""".formatted(id, ref))).isEqualTo(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> published(probe, id).size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> published(probe, id).size() == 1);
            JsonNode envelope = published(probe, id).get(0);
            assertThat(envelope.get("type").asText()).isEqualTo(BankWebhooks.TYPE);
            assertThat(envelope.get("aggregate_id").asText()).isEqualTo(ref);
            assertThat(envelope.at("/payload/bank_tran_id").asText()).isEqualTo(ref);
            assertThat(envelope.at("/payload/status").asText()).isEqualTo("SUCCEEDED");
            assertThat(envelope.at("/payload/amount").asLong()).isEqualTo(15000);
            assertThat(envelope.at("/payload/currency").asText()).isEqualTo("KRW");
            BrokerProbe.Received message = probe.received().stream()
                    .filter(m -> m.body().contains(id)).findFirst().orElseThrow();
            assertThat(message.messageId()).isEqualTo(envelope.get("message_id").asText());
            assertThat(message.deliveryMode()).as("persistent").isEqualTo(2);
            assertThat(message.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        }
    }

    @Test
    void theSameWebhookFiveTimesInARowIsStoredAndForwardedOnce() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), BankWebhooks.TYPE)) {
            String id = newId();
            String body = result(newBankTranId(), "FAILED");
            double duplicatesBefore = metric("payout_duplicates_blocked_total", "layer=\"webhook\"",
                    "outcome=\"duplicate\"");

            List<Response> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // a bank retry is re-signed with a fresh timestamp: same id, same body
                answers.add(post(signedHeaders(currentSecret(), id, body), body));
            }

            assertThat(answers).extracting(Response::statusCode).containsOnly(200);
            assertThat(answers).extracting(a -> a.jsonPath().getString("event_id")).containsOnly(id);
            assertThat(answers).extracting(a -> a.jsonPath().getBoolean("duplicate"))
                    .containsExactly(false, true, true, true, true);
            assertThat(eventRows(id)).isEqualTo(1);
            assertThat(outboxRows(id)).isEqualTo(1);
            assertThat(metric("payout_duplicates_blocked_total", "layer=\"webhook\"", "outcome=\"duplicate\""))
                    .isEqualTo(duplicatesBefore + 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> published(probe, id).size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> published(probe, id).size() == 1);
        }
    }

    private record Answer(int status, String body) {
    }

    @Test
    void theSameWebhookFiveTimesAtOnceIsStoredAndForwardedOnce() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), BankWebhooks.TYPE)) {
            String id = newId();
            String body = result(newBankTranId(), "SUCCEEDED");
            HttpRequest.Builder post = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            signedHeaders(currentSecret(), id, body).forEach(post::header);
            HttpRequest request = post.build();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();

            List<Answer> answers = Concurrently.run(5, () -> {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new Answer(r.statusCode(), r.body());
            });

            assertThat(answers).extracting(Answer::status).as("%s", answers).containsOnly(200);
            assertThat(answers).extracting(a -> eventId(a.body())).containsOnly(id);
            assertThat(answers.stream().filter(a -> a.body().contains("\"duplicate\":false")).count()).isEqualTo(1);
            assertThat(answers.stream().filter(a -> a.body().contains("\"duplicate\":true")).count()).isEqualTo(4);
            assertThat(eventRows(id)).isEqualTo(1);
            assertThat(outboxRows(id)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> published(probe, id).size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> published(probe, id).size() == 1);
        }
    }

    @Test
    void duringARotationEitherConfiguredSecretIsAccepted() {
        assertThat(config.secrets()).as("the test profile configures two secrets").hasSize(2);
        for (String secret : config.secrets()) {
            String id = newId();
            String body = result(newBankTranId(), "SUCCEEDED");
            post(signedHeaders(secret, id, body), body).then().statusCode(200);
            assertThat(eventRows(id)).isEqualTo(1);
            assertThat(outboxRows(id)).isEqualTo(1);
        }
        // and the bank may sign with both while it switches over
        String id = newId();
        String body = result(newBankTranId(), "SUCCEEDED");
        long ts = BankWebhooks.now();
        Map<String, String> headers = signedHeaders(config.secrets().get(0), id, ts, body);
        headers.put("webhook-signature", BankWebhooks.sign(config.secrets().get(1), id, ts, body) + " "
                + headers.get("webhook-signature"));
        post(headers, body).then().statusCode(200);
        assertThat(eventRows(id)).isEqualTo(1);
    }

    @Test
    void noTokenIsNeededAndABogusOneIsNotEvenLookedAt() {
        String id = newId();
        String body = result(newBankTranId(), "SUCCEEDED");
        given().headers(signedHeaders(currentSecret(), id, body))
                .header("Authorization", "Bearer not-a-jwt")
                .contentType("application/json").body(body)
                .when().post(BankWebhooks.PATH)
                .then().statusCode(200);
        assertThat(eventRows(id)).isEqualTo(1);
    }

    @Test
    void aSecondBodyUnderTheSameIdIsNotForwarded() {
        String id = newId();
        String ref = newBankTranId();
        String first = result(ref, "SUCCEEDED");
        String contradiction = result(ref, "FAILED");
        double reusedBefore = metric("payout_duplicates_blocked_total", "layer=\"webhook\"", "outcome=\"id_reused\"");

        post(signedHeaders(currentSecret(), id, first), first).then().statusCode(200);
        Response second = post(signedHeaders(currentSecret(), id, contradiction), contradiction);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.jsonPath().getBoolean("duplicate")).isTrue();
        assertThat(Rows.count("select count(*) from webhook_events where event_id = ? and body = ?", id, first))
                .isEqualTo(1);
        assertThat(outboxRows(id)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where payload->>'event_id' = ? "
                + "and payload->>'status' = 'SUCCEEDED'", id)).isEqualTo(1);
        assertThat(metric("payout_duplicates_blocked_total", "layer=\"webhook\"", "outcome=\"id_reused\""))
                .isEqualTo(reusedBefore + 1);
    }

    @Test
    void anEventTypeNobodyActsOnIsKeptButNotForwarded() {
        String id = newId();
        String body = "{\"type\":\"account.updated\",\"data\":{\"anything\":true}}";

        Response r = post(signedHeaders(currentSecret(), id, body), body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("forwarded")).isFalse();
        assertThat(Rows.count("select count(*) from webhook_events where event_id = ? and event_type = ?",
                id, "account.updated")).isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where payload->>'event_id' = ?", id)).isZero();
    }

    @Test
    void theEndpointIsDocumentedWithoutATokenRequirement() {
        Response doc = given().queryParam("format", "json").get("/q/openapi");
        assertThat(doc.statusCode()).isEqualTo(200);
        Map<String, Object> operation = doc.jsonPath().getMap("paths.'/v1/webhooks/bank'.post");
        assertThat(operation).isNotNull();
        assertThat(operation.get("security")).as("no jwt requirement").isNull();
    }

    private static String eventId(String body) {
        Matcher m = EVENT_ID.matcher(body);
        assertThat(m.find()).as("event_id in %s", body).isTrue();
        return m.group(1);
    }

    /**
     * A counter's current value from /q/metrics (0 when absent). The value is the token right after the labels:
     * a trailing exemplar ({@code # {trace_id=…} 1.0 <timestamp>}) may follow it.
     */
    static double metric(String name, String... tags) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(l -> l.startsWith(name + "{"))
                .filter(l -> Arrays.stream(tags).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf("} ") + 2).split(" ")[0]))
                .findFirst().orElse(0);
    }
}
