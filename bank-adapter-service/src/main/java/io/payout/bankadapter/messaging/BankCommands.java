package io.payout.bankadapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.dispatch.Dispatcher;
import io.payout.bankadapter.inquiry.Inquirer;
import io.payout.bankadapter.messaging.BankMessages.BankDispatch;
import io.payout.bankadapter.messaging.BankMessages.BankInquiry;
import io.payout.bankadapter.messaging.BankMessages.WebhookBankResult;
import io.payout.bankadapter.webhook.WebhookResults;
import io.payout.platform.inbox.InboxConsumer;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.outbox.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.Map;
import java.util.UUID;

/**
 * The consumer of {@code bank-adapter.commands}. Commands that need the bank ({@link BankStep}: dispatch, inquiry)
 * talk to it first, outside any transaction, then hand their effect to the platform's {@link InboxConsumer}, which
 * commits it with the inbox record and acks after the commit. A message already in the inbox skips the bank
 * entirely. {@code webhook.bank-result} needs no bank and goes straight to the inbox consumer.
 */
@ApplicationScoped
public class BankCommands {
    public static final String QUEUE = "bank-adapter.commands";
    private static final String ALREADY_CONSUMED = "select 1 from inbox where consumer = :consumer and message_id = :id";
    private static final MessageHandler NOTHING = (session, message) -> Uni.createFrom().voidItem();

    private final InboxConsumer inbox;
    private final ObjectMapper mapper;
    private final Map<String, BankStep> withBank;
    private final Map<String, MessageHandler> withoutBank;

    public BankCommands(InboxConsumer inbox, ObjectMapper mapper, Dispatcher dispatcher, Inquirer inquirer,
                        WebhookResults webhookResults) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.withBank = Map.of(BankDispatch.TYPE, dispatcher, BankInquiry.TYPE, inquirer);
        this.withoutBank = Map.of(WebhookBankResult.TYPE, webhookResults);
    }

    @Incoming("bank-adapter-commands")
    public Uni<Void> consume(Message<byte[]> message) {
        Envelope envelope = peek(message.getPayload());
        BankStep step = envelope == null ? null : withBank.get(envelope.type());
        if (step == null) {
            // unreadable envelopes and unknown types included: the inbox consumer dead-letters them with the reason
            return inbox.consume(QUEUE, message, withoutBank);
        }
        Context context = Vertx.currentContext();
        Uni<MessageHandler> effect = Uni.createFrom().deferred(() -> alreadyConsumed(envelope.messageId())
                        .flatMap(done -> done ? Uni.createFrom().item(NOTHING) : step.prepare(envelope)))
                // a failure before the transaction (bank unreachable, poison payload) fails inside it instead,
                // so it gets the inbox consumer's bounded retries and dead-lettering like any other failure
                .onFailure().recoverWithItem(failure -> (session, m) -> Uni.createFrom().failure(failure));
        if (context != null) {
            // bank timeouts fire on a timer thread; the transaction must run on the message's Vert.x context
            effect = effect.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return effect.flatMap(handler -> inbox.consume(QUEUE, message, Map.of(envelope.type(), handler)));
    }

    private Uni<Boolean> alreadyConsumed(UUID messageId) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(ALREADY_CONSUMED)
                .setParameter("consumer", QUEUE)
                .setParameter("id", messageId)
                .getResultList()
                .map(rows -> !rows.isEmpty())));
    }

    /** The envelope if it can be read; the inbox consumer deals with the rest. */
    private Envelope peek(byte[] body) {
        try {
            Envelope e = body == null ? null : mapper.readValue(body, Envelope.class);
            return e == null || e.messageId() == null || e.type() == null || e.payload() == null ? null : e;
        } catch (Exception e) {
            return null;
        }
    }
}
