package io.payout.sandbox;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A tiny webhook receiver on a random port, standing in for webhook-service: records every delivery (headers and
 * body) and points the sandbox's {@code webhook-url} at itself. A body containing a {@link #failOnce} marker is
 * refused once with 503, to exercise the sandbox's retries. Also shortens the settle delay for test speed.
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {
    /** One delivery as received; {@code receivedNanos} is {@link System#nanoTime()} on arrival, for delay checks. */
    public record Delivery(Map<String, String> headers, String body, long receivedNanos) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    public static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    /** Substrings of bodies to refuse once (then accept). */
    public static final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private static final Set<String> failed = ConcurrentHashMap.newKeySet();

    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(buffer -> {
            long now = System.nanoTime();
            String body = buffer.toString();
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            DELIVERIES.add(new Delivery(headers, body, now));
            boolean refuse = failOnce.stream().anyMatch(m -> body.contains(m) && failed.add(m));
            request.response().setStatusCode(refuse ? 503 : 204).end();
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook receiver did not start", e);
        }
        return Map.of(
                "payout.sandbox.webhook-url", "http://127.0.0.1:" + server.actualPort() + "/hooks",
                "payout.sandbox.settle-delay-ms", "100",
                "payout.sandbox.webhook-backoff-ms", "50");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    /** The deliveries whose body mentions {@code bankTranId}. */
    public static List<Delivery> about(String bankTranId) {
        return DELIVERIES.stream().filter(d -> d.body().contains("\"" + bankTranId + "\"")).toList();
    }
}
