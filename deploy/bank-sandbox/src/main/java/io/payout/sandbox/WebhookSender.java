package io.payout.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Notifies the configured URL of every final result, signed per Standard Webhooks, the way a real bank does:
 * asynchronously (Vert.x client; never on the request that caused it), with a timeout, and retried with
 * exponential back-off when the receiver fails or does not answer. Delivery is at-least-once: the receiver dedupes
 * on {@code webhook-id}, which is deterministic per (bank_tran_id, status), so every retry carries the same id.
 * The webhook faults of the script (delay, drop, duplicate, reorder, contradict) are applied here.
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

    /** One webhook ready to go: its id and the exact body that gets signed. */
    private record Outgoing(String id, String body) {
    }

    /** A webhook held back by {@code webhook_reorder}, and what to complete once it finally went out. */
    private record Held(Outgoing outgoing, Promise<Void> done, long timerId, long turn) {
    }

    /** Webhooks held by {@code webhook_reorder}, oldest first; timers and deliveries touch it from any event loop. */
    private final Deque<Held> held = new ArrayDeque<>();
    /**
     * Orders holds and dispatches (guarded by {@link #held}): a webhook releases only those held before it was
     * dispatched, so one already in flight when another was held cannot "overtake" it and leave the order intact.
     */
    private long turns;

    /**
     * Queues the notification of {@code transfer}'s final result; returns at once. The webhook faults are drawn here,
     * once per final result: {@code webhook_delay_ms} first, then its fate ({@code webhook_drop},
     * {@code webhook_duplicate} or {@code webhook_reorder}), then, once that played out, {@code webhook_contradict}.
     */
    public void resultOf(BankTransfer transfer) {
        TransferOrder o = transfer.order();
        Outgoing real = outgoing(o, transfer.status(), transfer.reason());
        FaultDecision decision = faults.forWebhook();
        long delay = 0;
        if (decision.has(FaultKind.WEBHOOK_DELAY_MS)) {
            faults.fired(FaultKind.WEBHOOK_DELAY_MS);
            delay = decision.valueOf(FaultKind.WEBHOOK_DELAY_MS);
        }
        Promise<Void> done = Promise.promise();
        vertx.setTimer(Math.max(1, delay), t -> dispatch(real, decision, done));
        if (decision.has(FaultKind.WEBHOOK_CONTRADICT)) {
            faults.fired(FaultKind.WEBHOOK_CONTRADICT);
            // the opposite result, with its own id (the receiver cannot dedupe it away), after the real one
            boolean succeeded = BankTransfer.SUCCEEDED.equals(transfer.status());
            Outgoing lie = succeeded
                    ? outgoing(o, BankTransfer.FAILED, SandboxBank.INVALID_ACCOUNT)
                    : outgoing(o, BankTransfer.SUCCEEDED, null);
            long after = Math.max(1, decision.valueOf(FaultKind.WEBHOOK_CONTRADICT));
            done.future().onComplete(ignored -> vertx.setTimer(after, t -> {
                LOG.infof("fault webhook_contradict: %s %s after %s", o.bankTranId(), succeeded ? "FAILED"
                        : "SUCCEEDED", transfer.status());
                send(lie);
            }));
        }
    }

    /** The real webhook's fate, once its delay is over; {@code done} completes when it has been dealt with. */
    private void dispatch(Outgoing real, FaultDecision decision, Promise<Void> done) {
        FaultKind fate = decision.in(FaultKind.Group.WEBHOOK_FATE).map(FaultDecision.Fired::kind).orElse(null);
        if (fate == FaultKind.WEBHOOK_REORDER) {
            faults.fired(fate);
            hold(real, decision.valueOf(FaultKind.WEBHOOK_REORDER), done);
            return;
        }
        long turn = nextTurn();
        Future<Void> sent;
        if (fate == FaultKind.WEBHOOK_DROP) {
            faults.fired(fate);
            LOG.infof("fault webhook_drop: %s never sent", real.id());
            sent = Future.succeededFuture();
        } else if (fate == FaultKind.WEBHOOK_DUPLICATE) {
            faults.fired(fate);
            sent = Future.join(send(real), send(real)).mapEmpty();
        } else {
            sent = send(real);
        }
        // this result's webhook is out (or gone): whatever reorder held back now follows it, arriving out of order
        sent.onComplete(ignored -> {
            releaseHeldBefore(turn);
            done.complete();
        });
    }

    private long nextTurn() {
        synchronized (held) {
            return ++turns;
        }
    }

    private void hold(Outgoing outgoing, long maxHoldMs, Promise<Void> done) {
        synchronized (held) {
            // bounded: if no later result comes to overtake it, it goes out anyway
            long timer = vertx.setTimer(Math.max(1, maxHoldMs), t -> release(outgoing));
            held.add(new Held(outgoing, done, timer, ++turns));
        }
    }

    /** The hold of one webhook expired: send it if no later result released it already. */
    private void release(Outgoing outgoing) {
        Held h;
        synchronized (held) {
            h = held.stream().filter(x -> x.outgoing() == outgoing).findFirst().orElse(null);
            if (h == null) {
                return;
            }
            held.remove(h);
        }
        send(h.outgoing()).onComplete(ignored -> h.done().complete());
    }

    /** Sends every webhook held before {@code turn}: the webhook dispatched at that turn has overtaken them. */
    private void releaseHeldBefore(long turn) {
        List<Held> due = new ArrayList<>();
        synchronized (held) {
            for (Held h : held) {
                if (h.turn() < turn) {
                    due.add(h);
                }
            }
            held.removeAll(due);
        }
        for (Held h : due) {
            vertx.cancelTimer(h.timerId());
            send(h.outgoing()).onComplete(ignored -> h.done().complete());
        }
    }

    private Outgoing outgoing(TransferOrder o, String status, String reason) {
        try {
            String body = mapper.writeValueAsString(new Notification(EVENT_TYPE,
                    new Data(o.bankTranId(), status, o.amount(), o.currency(), reason)));
            return new Outgoing(eventId(o.bankTranId(), status), body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification of " + o.bankTranId() + " is not JSON-able", e);
        }
    }

    /** Delivers with retries; the future completes when it was delivered or abandoned (never fails). */
    private Future<Void> send(Outgoing outgoing) {
        Promise<Void> finished = Promise.promise();
        attempt(outgoing.id(), outgoing.body(), 1, finished);
        return finished.future();
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

    private void attempt(String id, String body, int attempt, Promise<Void> finished) {
        deliver(id, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result() / 100 == 2) {
                registry.counter("sandbox_webhooks", "outcome", "delivered").increment();
                finished.complete();
                return;
            }
            String why = ar.succeeded() ? "HTTP " + ar.result() : ar.cause().toString();
            if (attempt > config.webhookRetriesMax()) {
                registry.counter("sandbox_webhooks", "outcome", "abandoned").increment();
                LOG.warnf("webhook %s abandoned after %d attempts: %s", id, attempt, why);
                finished.complete();
                return;
            }
            registry.counter("sandbox_webhooks", "outcome", "retried").increment();
            long backoff = config.webhookBackoffMs() << Math.min(attempt - 1, 16);
            LOG.debugf("webhook %s attempt %d failed (%s), retrying in %d ms", id, attempt, why, backoff);
            vertx.setTimer(Math.max(1, backoff), t -> attempt(id, body, attempt + 1, finished));
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
