package io.payout.transfer;

import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client rate limit on POST /v1/transfers: a client's concurrent burst gets exactly {@code burst} through, every
 * other request a 429 RATE_LIMITED with Retry-After that writes nothing; other clients keep their own budget. The
 * refill here is one request per ~3 hours, so no timing on a loaded machine can change the counts.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SlowRefill.class)
@WithTestResource(ServiceTestResource.class)
class RateLimitTest {
    static final int BURST = 5;

    public static class SlowRefill implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payout.transfer.rate-limit.enabled", "true",
                    "payout.transfer.rate-limit.burst", Integer.toString(BURST),
                    "payout.transfer.rate-limit.requests-per-second", "0.0001");
        }
    }

    private record Answer(int status, String retryAfter, String contentType, String body) {
    }

    @TestHTTPResource("/v1/transfers")
    URI transfers;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aConcurrentBurstFromOneClientGetsExactlyBurstThroughAndTheRest429WithRetryAfter() throws Exception {
        String client = "burst-" + UUID.randomUUID();
        long outboxBefore = Rows.table("outbox");

        List<Answer> answers = Concurrently.run(3 * BURST, () -> post(client, newKey()));

        assertThat(answers).filteredOn(a -> a.status() == 201).hasSize(BURST);
        List<Answer> refused = answers.stream().filter(a -> a.status() != 201).toList();
        assertThat(refused).hasSize(2 * BURST).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(429);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(Long.parseLong(a.retryAfter())).isGreaterThanOrEqualTo(1);
            JsonPath problem = JsonPath.from(a.body());
            assertThat(problem.getString("code")).isEqualTo("RATE_LIMITED");
            assertThat(problem.getString("trace_id")).matches("[0-9a-f]{32}");
        });
        // the refused requests wrote nothing: one transfer and one ledger.hold command per accepted request
        assertThat(Rows.count("select count(*) from transfers where client_id = ?", client)).isEqualTo(BURST);
        assertThat(Rows.table("outbox") - outboxBefore).isEqualTo(BURST);
    }

    @Test
    void anotherClientKeepsItsOwnBudget() throws Exception {
        String greedy = "greedy-" + UUID.randomUUID();
        for (int i = 0; i < BURST; i++) {
            assertThat(post(greedy, newKey()).status()).isEqualTo(201);
        }
        assertThat(post(greedy, newKey()).status()).isEqualTo(429);

        String other = "other-" + UUID.randomUUID();
        assertThat(post(other, newKey()).status()).isEqualTo(201);
    }

    @Test
    void anIdempotentReplayCountsAgainstTheBudget() throws Exception {
        String client = "replayer-" + UUID.randomUUID();
        String key = newKey();
        assertThat(post(client, key).status()).isEqualTo(201);
        for (int i = 1; i < BURST; i++) {
            assertThat(post(client, key).status()).isEqualTo(201);
        }
        long before = Rows.table("transfer_history");
        assertThat(post(client, key).status()).isEqualTo(429);
        assertThat(Rows.count("select count(*) from transfers where client_id = ?", client)).isEqualTo(1);
        assertThat(Rows.table("transfer_history")).isEqualTo(before);
    }

    private Answer post(String client, String key) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(transfers)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + Tokens.forClient(client))
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(validBody()))
                .build();
        HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null),
                r.headers().firstValue("Content-Type").orElse(""), r.body());
    }
}
