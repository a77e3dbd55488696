package io.payout.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Notifies the configured URL of every final result, signed per Standard Webhooks, the way a real bank does:
 * asynchronously (Vert.x client; never on the request that caused it), with a timeout, and retried with
 * exponential back-off when the receiver fails or does not answer. Delivery is at-least-once: the receiver dedupes
 * on {@code webhook-id}, which is deterministic per (bank_tran_id, status), so every retry carries the same id.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    public static final String EVENT_TYPE = "transfer.result";

    /** The body: {@code {"type":"transfer.result","data":{...}}}. */
    public record Notification(String type, Data data) {
    }

    public record Data(String bankTranId, String status, long amount, String currency, String reason) {
    }

    private final Vertx vertx;
    private final SandboxConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Faults faults;
    private final Webhook signer;
    private final HttpClient client;

    public WebhookSender(Vertx vertx, SandboxConfig config, ObjectMapper mapper, MeterRegistry registry, Faults faults) {
        this.vertx = vertx;
        this.config = config;
        this.mapper = mapper;
        this.registry = registry;
        this.faults = faults;
        // fails at start-up on a malformed secret rather than on the first result
        this.signer = signer(config.webhookSecret());
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.webhookTimeoutMs())
                .setKeepAlive(true));
    }

    private static Webhook signer(String secret) {
        if (secret == null || !secret.startsWith("whsec_")) {
            throw new IllegalStateException("payout.sandbox.webhook-secret must be whsec_<base64>");
        }
        try {
            return new Webhook(secret);
        } catch (Exception e) {
            throw new IllegalStateException("payout.sandbox.webhook-secret is not a usable whsec_<base64> secret", e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        client.close();
    }

    /** Queues the notification of {@code transfer}'s final result; returns at once. */
    public void resultOf(BankTransfer transfer) {
        TransferOrder o = transfer.order();
        String body;
        try {
            body = mapper.writeValueAsString(new Notification(EVENT_TYPE,
                    new Data(o.bankTranId(), transfer.status(), o.amount(), o.currency(), transfer.reason())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification of " + o.bankTranId() + " is not JSON-able", e);
        }
        String id = eventId(o.bankTranId(), transfer.status());
        int copies = faults.webhookCopies(o.bankTranId());
        long delay = Math.max(1, faults.webhookDelayMs(o.bankTranId()));
        for (int i = 0; i < copies; i++) {
            vertx.setTimer(delay, t -> attempt(id, body, 1));
        }
    }

    /** {@code evt_} + hex SHA-256 of {@code bank_tran_id|status}: the same result always has the same id. */
    public static String eventId(String bankTranId, String status) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((bankTranId + "|" + status).getBytes(StandardCharsets.UTF_8));
            return "evt_" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private void attempt(String id, String body, int attempt) {
        deliver(id, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result() / 100 == 2) {
                registry.counter("sandbox_webhooks", "outcome", "delivered").increment();
                return;
            }
            String why = ar.succeeded() ? "HTTP " + ar.result() : ar.cause().toString();
            if (attempt > config.webhookRetriesMax()) {
                registry.counter("sandbox_webhooks", "outcome", "abandoned").increment();
                LOG.warnf("webhook %s abandoned after %d attempts: %s", id, attempt, why);
                return;
            }
            registry.counter("sandbox_webhooks", "outcome", "retried").increment();
            long backoff = config.webhookBackoffMs() << Math.min(attempt - 1, 16);
            LOG.debugf("webhook %s attempt %d failed (%s), retrying in %d ms", id, attempt, why, backoff);
            vertx.setTimer(Math.max(1, backoff), t -> attempt(id, body, attempt + 1));
        });
    }

    /** One delivery; the status code, or a failure (connect error, timeout, reset). */
    private Future<Integer> deliver(String id, String body) {
        // signed per attempt: a retry much later must still be inside the receiver's timestamp tolerance
        long timestamp = Instant.now().getEpochSecond();
        String signature;
        try {
            signature = signer.sign(id, timestamp, body);
        } catch (Exception e) {
            return Future.failedFuture(e);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(config.webhookUrl().toString())
                .setConnectTimeout(config.webhookTimeoutMs())
                .setIdleTimeout(config.webhookTimeoutMs())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signature);
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()));
    }
}
