package io.payout.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.platform.db.AfterCommit;
import io.payout.platform.deadletter.DeadLetterHeaders;
import io.payout.platform.outbox.Envelope;
import io.payout.platform.outbox.Ids;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotent consumption: each message's effect and its {@code message_id} in the inbox commit in one
 * transaction, and the message is acknowledged only after that commit. A redelivered or republished message finds
 * its id in the inbox and changes nothing. A failing message is requeued with back-off; after
 * {@code delivery-attempts-max} attempts it is published to the dead-letter exchange with the reason and a new
 * dead-letter id, then acked, so the messages behind it keep flowing; the service's
 * {@link io.payout.platform.deadletter.DeadLetterKeeper} stores it for ops, who may replay it once its cause is fixed.
 */
@ApplicationScoped
public class InboxConsumer {
    private static final Logger LOG = Logger.getLogger(InboxConsumer.class);
    /** Exchange and channel for dead letters: each consumer queue has a {@code <queue>.dlq} bound by queue name. */
    public static final String DEAD_LETTER_CHANNEL = "dead-letters";
    public static final String DEAD_LETTER_EXCHANGE = "payout.dlx";

    private static final String RECORD = """
            insert into inbox (consumer, message_id, processed_at) values (:consumer, :id, now())
            on conflict do nothing""";

    private final ObjectMapper mapper;
    private final InboxConfig config;
    private final MutinyEmitter<byte[]> deadLetters;
    private final MeterRegistry registry;

    public InboxConsumer(ObjectMapper mapper, InboxConfig config,
                         @Channel(DEAD_LETTER_CHANNEL) MutinyEmitter<byte[]> deadLetters, MeterRegistry registry) {
        this.mapper = mapper;
        this.config = config;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    /**
     * Processes one broker message for {@code queue}, dispatching by type through {@code handlers}
     * (the consumer's table of "message type → effect").
     */
    public Uni<Void> consume(String queue, Message<byte[]> message, Map<String, MessageHandler> handlers) {
        return Uni.createFrom().deferred(() -> {
                    Envelope envelope = read(message.getPayload());
                    MessageHandler handler = handlers.get(envelope.type());
                    if (handler == null) {
                        throw new PoisonMessage("no handler for message type '" + envelope.type() + "' in " + queue);
                    }
                    // Panache's transaction, so handlers may also use Panache repositories on the same session;
                    // what handlers count (AfterCommit.run) is counted only if it commits
                    return AfterCommit.transaction(() -> Panache.getSession().flatMap(session -> firstTime(session, queue, envelope)
                            .flatMap(first -> {
                                if (!first) {
                                    AfterCommit.run(() -> registry.counter("payout_duplicates_blocked",
                                            "layer", "inbox", "outcome", "redelivered").increment());
                                    return Uni.createFrom().voidItem();
                                }
                                return handler.handle(session, envelope);
                            })));
                })
                .flatMap(done -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(failure -> failed(queue, message, failure));
    }

    private Uni<Boolean> firstTime(Mutiny.Session session, String consumer, Envelope envelope) {
        return session.createNativeQuery(RECORD)
                .setParameter("consumer", consumer)
                .setParameter("id", envelope.messageId())
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    private Envelope read(byte[] body) {
        Envelope envelope;
        try {
            envelope = mapper.readValue(body, Envelope.class);
        } catch (Exception e) {
            throw new PoisonMessage("unreadable envelope: " + e.getMessage());
        }
        if (envelope.messageId() == null || envelope.type() == null || envelope.payload() == null) {
            throw new PoisonMessage("envelope without message_id, type or payload");
        }
        return envelope;
    }

    private Uni<Void> failed(String queue, Message<byte[]> message, Throwable failure) {
        int attempt = attempt(message);
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (attempt < config.deliveryAttemptsMax()) {
            LOG.warnf("message %s on %s failed (attempt %d of %d), requeueing: %s", messageId(message), queue,
                    attempt, config.deliveryAttemptsMax(), reason);
            return Uni.createFrom().voidItem()
                    .onItem().delayIt().by(Duration.ofMillis(config.retryDelayMs() * attempt))
                    .flatMap(x -> Uni.createFrom().completionStage(message.nack(failure)));
        }
        LOG.errorf("message %s on %s dead-lettered after %d attempts: %s", messageId(message), queue, attempt, reason);
        registry.counter("payout_messages_dead_lettered", "queue", queue).increment();
        return deadLetter(queue, message, reason, attempt)
                .flatMap(x -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf("dead-lettering %s failed, requeueing: %s", messageId(message), e.toString());
                    return Uni.createFrom().completionStage(message.nack(e));
                });
    }

    private Uni<Void> deadLetter(String queue, Message<byte[]> message, String reason, int attempts) {
        Optional<IncomingRabbitMQMetadata> in = message.getMetadata(IncomingRabbitMQMetadata.class);
        Map<String, Object> headers = new HashMap<>(in.map(IncomingRabbitMQMetadata::getHeaders).orElse(Map.of()));
        // the id keys the row the service's dead-letter keeper stores, so a redelivery from the DLQ is kept once
        headers.put(DeadLetterHeaders.ID, Ids.uuidV7().toString());
        headers.put(DeadLetterHeaders.AT, Instant.now().toString());
        headers.put(DeadLetterHeaders.REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        headers.put(DeadLetterHeaders.QUEUE, queue);
        headers.put(DeadLetterHeaders.ATTEMPTS, attempts);
        in.ifPresent(m -> headers.put(DeadLetterHeaders.ROUTING_KEY, m.getRoutingKey()));
        OutgoingRabbitMQMetadata.Builder out = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(queue)
                .withDeliveryMode(2)
                .withHeaders(headers);
        in.flatMap(IncomingRabbitMQMetadata::getMessageId).ifPresent(out::withMessageId);
        in.flatMap(IncomingRabbitMQMetadata::getType).ifPresent(out::withType);
        in.flatMap(IncomingRabbitMQMetadata::getContentType).ifPresent(out::withContentType);
        byte[] body = message.getPayload() == null ? new byte[0] : message.getPayload();
        return deadLetters.sendMessage(Message.of(body, Metadata.of(out.build())));
    }

    /** 1 on first delivery; quorum queues count redeliveries in {@code x-delivery-count}. */
    private static int attempt(Message<?> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(m -> Optional.ofNullable(m.getHeaders().get("x-delivery-count")))
                .map(v -> Integer.parseInt(v.toString()) + 1)
                .orElse(1);
    }

    private static String messageId(Message<?> message) {
        return message.getMetadata(IncomingRabbitMQMetadata.class)
                .flatMap(IncomingRabbitMQMetadata::getMessageId).orElse("?");
    }

    /** For logs and DLQ inspection: the body as text. */
    public static String text(byte[] body) {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
