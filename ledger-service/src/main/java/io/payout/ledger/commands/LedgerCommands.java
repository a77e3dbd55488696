package io.payout.ledger.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.ledger.commands.Holds.Decision;
import io.payout.ledger.commands.LedgerMessages.Hold;
import io.payout.ledger.commands.LedgerMessages.HoldPlaced;
import io.payout.ledger.commands.LedgerMessages.HoldRejected;
import io.payout.ledger.commands.LedgerMessages.Release;
import io.payout.ledger.commands.LedgerMessages.Settle;
import io.payout.ledger.commands.LedgerMessages.TransferCommand;
import io.payout.platform.inbox.InboxConsumer;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.inbox.Payloads;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.payout.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.Map;

/**
 * The saga's commands to the ledger, from queue {@code ledger.commands}. Each runs in one transaction with its inbox
 * record and, for a hold, the answering event in the outbox ({@link InboxConsumer}): the message is acked only after
 * that commit, and a redelivery with the same message id finds the inbox record and does nothing.
 */
@ApplicationScoped
public class LedgerCommands {
    public static final String QUEUE = "ledger.commands";

    private final InboxConsumer consumer;
    private final Holds holds;
    private final HoldCompletions completions;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final Map<String, MessageHandler> handlers;

    public LedgerCommands(InboxConsumer consumer, Holds holds, HoldCompletions completions, Outbox outbox,
                          ObjectMapper mapper) {
        this.consumer = consumer;
        this.holds = holds;
        this.completions = completions;
        this.outbox = outbox;
        this.mapper = mapper;
        this.handlers = Map.of(
                Hold.TYPE, this::hold,
                Settle.TYPE, this::settle,
                Release.TYPE, this::release);
    }

    @Incoming("ledger-commands")
    public Uni<Void> consume(Message<byte[]> message) {
        return consumer.consume(QUEUE, message, handlers);
    }

    Uni<Void> hold(Mutiny.Session session, Envelope m) {
        Hold hold = read(m, Hold.class);
        if (blank(hold.clientId()) || blank(hold.sourceAccount())) {
            throw new PoisonMessage("ledger.hold without client_id or source_account");
        }
        String transfer = hold.transferId().toString();
        return holds.place(session, hold).flatMap(decision -> switch (decision) {
            case Decision.Placed p -> outbox.append(session, HoldPlaced.TYPE, transfer,
                    new HoldPlaced(hold.transferId()), Instant.now());
            case Decision.Rejected r -> outbox.append(session, HoldRejected.TYPE, transfer,
                    new HoldRejected(hold.transferId(), r.reason().name()), Instant.now());
        }).replaceWithVoid();
    }

    Uni<Void> settle(Mutiny.Session session, Envelope m) {
        Settle settle = read(m, Settle.class);
        return completions.settle(session, settle, settle.externalRef(), settle.valueDate());
    }

    Uni<Void> release(Mutiny.Session session, Envelope m) {
        Release release = read(m, Release.class);
        return completions.release(session, release, release.externalRef());
    }

    /** A command missing what every command needs can never succeed: dead-letter it (after the bounded attempts). */
    private <T extends TransferCommand> T read(Envelope m, Class<T> type) {
        T value = Payloads.read(mapper, m, type);
        if (value.transferId() == null) {
            throw new PoisonMessage(m.type() + " without transfer_id");
        }
        if (value.amountMinor() == null || value.amountMinor() <= 0) {
            throw new PoisonMessage(m.type() + " for " + value.transferId() + ": amount_minor must be positive");
        }
        if (blank(value.currency())) {
            throw new PoisonMessage(m.type() + " for " + value.transferId() + " without currency");
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
