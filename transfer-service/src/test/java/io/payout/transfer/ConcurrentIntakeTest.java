package io.payout.transfer;

import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §11.1: per (client_id, client_request_id) exactly one transfer, whatever the concurrency. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ConcurrentIntakeTest {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    @TestHTTPResource("/v1/transfers")
    URI transfers;

    private record Answer(int status, String replayed, String body) {
    }

    @ParameterizedTest(name = "{0} concurrent POSTs with one key")
    @ValueSource(ints = {30, 100})
    void concurrentDuplicatesCreateOneTransfer(int requests) throws Exception {
        String key = newKey();
        String token = Tokens.forClient(CLIENT_A);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest post = HttpRequest.newBuilder(transfers)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(validBody()))
                .build();

        List<Answer> answers = Concurrently.run(requests, () -> {
            HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Idempotent-Replayed").orElse(null), r.body());
        });

        assertThat(answers).extracting(Answer::status).containsOnly(201);
        assertThat(answers).extracting(a -> transferId(a.body())).containsOnly(transferId(answers.get(0).body()));
        assertThat(answers).extracting(Answer::body).containsOnly(answers.get(0).body());
        assertThat(answers.stream().filter(a -> "true".equals(a.replayed())).count()).isEqualTo(requests - 1);
        assertThat(answers.stream().filter(a -> a.replayed() == null).count()).isEqualTo(1);

        String id = transferId(answers.get(0).body());
        assertThat(Rows.count("select count(*) from transfers where client_request_id = ?", key)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from transfer_history where transfer_id = ?::uuid", id)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ?", id)).isEqualTo(1);
    }

    private static String transferId(String body) {
        Matcher m = ID.matcher(body);
        assertThat(m.find()).as("transfer id in %s", body).isTrue();
        return m.group(1);
    }
}
