package io.payout.transfer.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.platform.inbox.InboxConsumer;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.inbox.Payloads;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.payout.platform.outbox.Ids;
import io.payout.transfer.saga.SagaMessages.BankCollision;
import io.payout.transfer.saga.SagaMessages.BankDispatched;
import io.payout.transfer.saga.SagaMessages.BankResult;
import io.payout.transfer.saga.SagaMessages.HoldPlaced;
import io.payout.transfer.saga.SagaMessages.HoldRejected;
import io.payout.transfer.state.TransferEvent;
import io.payout.transfer.state.TransferState;
import io.payout.transfer.state.TransferStateMachine;
import io.payout.transfer.state.TransferTransitions;
import io.payout.transfer.state.TransferTransitions.Facts;
import io.payout.transfer.state.TransferTransitions.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * The saga, step by step: hold → dispatch → settle, or compensate.
 * <ol>
 *   <li>accepted: the intake sent {@code ledger.hold};</li>
 *   <li>{@code ledger.hold-placed}: send {@code bank.dispatch} — or {@code ledger.hold-rejected}: FAILED, nothing
 *       reaches the bank;</li>
 *   <li>{@code bank.dispatched}: DISPATCHED, the result is awaited;</li>
 *   <li>{@code bank.result} SUCCEEDED: SETTLED and {@code ledger.settle}; FAILED from the bank's answer or an
 *       inquiry: FAILED and {@code ledger.release}; FAILED from a webhook alone: ask the bank first
 *       ({@code bank.inquiry}), because releasing money that already left would be a loss.</li>
 * </ol>
 * Every step runs in one transaction with the inbox record and the outbox command, and depends only on the
 * transfer's current state ({@link TransferStateMachine}).
 */
@ApplicationScoped
public class TransferSaga {
    public static final String QUEUE = "transfer.events";
    private static final String ANOMALY = """
            insert into anomalies (id, transfer_id, kind, detail, message_id, created_at)
            values (:id, :transfer, :kind, :detail, :message, :at)""";

    private final InboxConsumer consumer;
    private final TransferTransitions transitions;
    private final SagaCommands commands;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Map<String, MessageHandler> steps;

    public TransferSaga(InboxConsumer consumer, TransferTransitions transitions, SagaCommands commands,
                        ObjectMapper mapper, MeterRegistry registry) {
        this.consumer = consumer;
        this.transitions = transitions;
        this.commands = commands;
        this.mapper = mapper;
        this.registry = registry;
        this.steps = Map.of(
                HoldPlaced.TYPE, this::holdPlaced,
                HoldRejected.TYPE, this::holdRejected,
                BankDispatched.TYPE, this::bankDispatched,
                BankResult.TYPE, this::bankResult,
                BankCollision.TYPE, this::bankCollision);
    }

    @Incoming("transfer-events")
    public Uni<Void> consume(Message<byte[]> message) {
        return consumer.consume(QUEUE, message, steps);
    }

    Uni<Void> holdPlaced(Mutiny.Session session, Envelope m) {
        HoldPlaced e = read(m, HoldPlaced.class);
        return transitions.apply(session, e.transferId(), TransferEvent.HOLD_PLACED, Facts.NONE)
                .flatMap(o -> effect(session, o));
    }

    Uni<Void> holdRejected(Mutiny.Session session, Envelope m) {
        HoldRejected e = read(m, HoldRejected.class);
        return transitions.apply(session, e.transferId(), TransferEvent.HOLD_REJECTED, new Facts(null, e.reason()))
                .flatMap(o -> effect(session, o));
    }

    Uni<Void> bankDispatched(Mutiny.Session session, Envelope m) {
        BankDispatched e = read(m, BankDispatched.class);
        return transitions.apply(session, e.transferId(), TransferEvent.BANK_DISPATCHED, new Facts(e.externalRef(), null))
                .flatMap(o -> effect(session, o));
    }

    Uni<Void> bankResult(Mutiny.Session session, Envelope m) {
        BankResult e = read(m, BankResult.class);
        boolean succeeded = "SUCCEEDED".equals(e.outcome());
        if (!succeeded && !"FAILED".equals(e.outcome())) {
            throw new PoisonMessage("bank.result outcome must be SUCCEEDED or FAILED, not " + e.outcome());
        }
        TransferEvent event = succeeded ? TransferEvent.BANK_SUCCEEDED : TransferEvent.BANK_FAILED;
        if (!succeeded && "WEBHOOK".equals(e.source())) {
            return webhookSaysFailed(session, m, e);
        }
        Facts facts = new Facts(e.externalRef(), succeeded ? null : reasonOr(e.reason(), "BANK_REJECTED"));
        return transitions.apply(session, e.transferId(), event, facts)
                .flatMap(o -> o instanceof Outcome.NotApplicable na
                        ? contradictionOrDuplicate(session, m, e.transferId(), na, event)
                        : effect(session, o));
    }

    /** A webhook is a notification, not proof: confirm a failure by inquiry before releasing the hold. */
    private Uni<Void> webhookSaysFailed(Mutiny.Session session, Envelope m, BankResult e) {
        return transitions.currentState(session, e.transferId()).flatMap(state -> state.terminal()
                ? contradictionOrDuplicate(session, m, e.transferId(), new Outcome.NotApplicable(state),
                TransferEvent.BANK_FAILED)
                : commands.inquire(session, e.transferId(), e.externalRef()));
    }

    Uni<Void> bankCollision(Mutiny.Session session, Envelope m) {
        BankCollision e = read(m, BankCollision.class);
        return transitions.currentState(session, e.transferId())
                .flatMap(state -> anomaly(session, m, e.transferId(), "COLLISION",
                        "external_ref " + e.externalRef() + " collides at the bank: " + e.detail()));
    }

    private Uni<Void> contradictionOrDuplicate(Mutiny.Session session, Envelope m, UUID transferId,
                                               Outcome.NotApplicable na, TransferEvent event) {
        if (na.current() == TransferState.PENDING) {
            // a bank result for a transfer whose hold is not recorded yet cannot be dropped: retry it (bounded,
            // then the dead-letter queue), never lose a result that moved money
            throw new IllegalStateException("bank result for " + transferId + " before its hold was recorded");
        }
        return TransferStateMachine.contradiction(na.current(), event)
                .map(detail -> anomaly(session, m, transferId, "CONTRADICTING_RESULT", detail))
                .orElseGet(() -> {
                    registry.counter("payout_saga_events_ignored", "event", event.name(), "state", na.current().name())
                            .increment();
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> effect(Mutiny.Session session, Outcome outcome) {
        if (!(outcome instanceof Outcome.Applied applied)) {
            return Uni.createFrom().voidItem(); // late or duplicate event: the transfer is past it
        }
        return commands.send(session, applied.transition().effect(), applied.transfer());
    }

    private Uni<Void> anomaly(Mutiny.Session session, Envelope m, UUID transferId, String kind, String detail) {
        registry.counter("payout_transfer_anomalies", "kind", kind).increment();
        return session.createNativeQuery(ANOMALY)
                .setParameter("id", Ids.uuidV7())
                .setParameter("transfer", transferId)
                .setParameter("kind", kind)
                .setParameter("detail", detail)
                .setParameter("message", m.messageId())
                .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate()
                .replaceWithVoid();
    }

    private <T extends SagaMessages.TransferEventMessage> T read(Envelope m, Class<T> type) {
        T value = Payloads.read(mapper, m, type);
        if (value.transferId() == null) {
            throw new PoisonMessage(m.type() + " without transfer_id");
        }
        return value;
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}
