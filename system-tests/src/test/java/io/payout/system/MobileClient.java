package io.payout.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * POST /v1/transfers as a mobile backend does it: one Idempotency-Key per intent, kept across retries; on a
 * connection error, a timeout or a 5xx it waits a little and tries again on the next instance (no load balancer:
 * the client alternates over the instances' URLs), within a bounded budget. A 2xx or a 4xx is the final answer.
 */
public final class MobileClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private final List<String> baseUrls;
    private final Duration budget;
    private final AtomicLong retries = new AtomicLong();

    public MobileClient(List<String> baseUrls, Duration budget) {
        this.baseUrls = List.copyOf(baseUrls);
        this.budget = budget;
    }

    /** What the client finally saw: the transfer id when accepted, else the last status (0: no answer) and why. */
    public record Outcome(String id, int status, String detail, int attempts) {
        public boolean accepted() {
            return id != null;
        }
    }

    /** Retries of every call so far (attempts beyond the first). */
    public long retries() {
        return retries.get();
    }

    /** {@code firstInstance} picks where the first attempt goes (a doubled POST starts on the other one). */
    public Outcome postTransfer(String token, String key, String body, int firstInstance) {
        long deadline = System.nanoTime() + budget.toNanos();
        int attempt = 0;
        long backoffMs = 100;
        String lastProblem;
        int lastStatus = 0;
        while (true) {
            String base = baseUrls.get(Math.floorMod(firstInstance + attempt, baseUrls.size()));
            attempt++;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/transfers"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + token)
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                lastStatus = r.statusCode();
                if (r.statusCode() < 300) {
                    JsonNode id = JSON.readTree(r.body()).get("id");
                    return new Outcome(id == null ? null : id.asText(), r.statusCode(), id == null ? r.body() : "",
                            attempt);
                }
                if (r.statusCode() < 500) {
                    return new Outcome(null, r.statusCode(), r.body(), attempt);
                }
                lastProblem = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, 0, "interrupted", attempt);
            }
            if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                return new Outcome(null, lastStatus, "gave up after " + attempt + " attempts: " + lastProblem, attempt);
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, 0, "interrupted", attempt);
            }
            backoffMs = Math.min(backoffMs * 2, 2_000);
        }
    }
}
