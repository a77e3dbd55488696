package io.payout.webhook.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.inbox.InboxConsumer;
import io.payout.platform.inbox.Payloads;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.Map;
import java.util.Optional;

/**
 * external_ref → the transfer's trace, from queue {@code webhook.dispatches} ({@code bank.dispatched}). The consumer
 * runs with the message's receive span current (the RabbitMQ connector restores the publisher's traceparent), so
 * the traceparent recorded here is a span of the transfer's own trace. The first record of a reference wins: a
 * re-dispatch (UNKNOWN, then inquiry) is the same transfer and the same trace.
 */
@ApplicationScoped
public class DispatchTraces {
    public static final String QUEUE = "webhook.dispatches";

    private static final String RECORD = """
            insert into dispatch_traces (external_ref, traceparent) values (:ref, :traceparent)
            on conflict (external_ref) do nothing""";
    private static final String LOOKUP = "select traceparent from dispatch_traces where external_ref = :ref";

    private final InboxConsumer consumer;
    private final ObjectMapper mapper;

    public DispatchTraces(InboxConsumer consumer, ObjectMapper mapper) {
        this.consumer = consumer;
        this.mapper = mapper;
    }

    @Incoming("webhook-dispatches")
    public Uni<Void> consume(Message<byte[]> message) {
        return consumer.consume(QUEUE, message, Map.of(BankDispatched.TYPE, this::record));
    }

    Uni<Void> record(Mutiny.Session session, Envelope m) {
        BankDispatched dispatched = Payloads.read(mapper, m, BankDispatched.class);
        if (dispatched.externalRef() == null || dispatched.externalRef().isBlank()) {
            throw new PoisonMessage("bank.dispatched without external_ref");
        }
        String traceparent = TraceIds.currentTraceparent();
        if (traceparent == null) {
            // tracing off or the message carried no context: nothing to link to, and nothing to retry for
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery(RECORD)
                .setParameter("ref", dispatched.externalRef())
                .setParameter("traceparent", traceparent)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The transfer's traceparent for a bank reference, if its {@code bank.dispatched} has been consumed. */
    public Uni<Optional<String>> traceparentOf(String externalRef) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(LOOKUP, String.class)
                .setParameter("ref", externalRef)
                .getSingleResultOrNull()))
                .map(Optional::ofNullable);
    }
}
