package io.payout.bankadapter.outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.payout.bankadapter.dispatch.Dispatches;
import io.payout.bankadapter.messaging.BankMessages.BankCollision;
import io.payout.bankadapter.messaging.BankMessages.BankDispatched;
import io.payout.bankadapter.messaging.BankMessages.BankResult;
import io.payout.platform.outbox.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * Records a verdict on the dispatch row and tells the saga, in the caller's transaction (the one that also records
 * the consumed message in the inbox): the row, the event and "message processed" commit together or not at all.
 */
@ApplicationScoped
public class Reporter {
    private static final Logger LOG = Logger.getLogger(Reporter.class);
    private final Dispatches dispatches;
    private final Outbox outbox;
    private final MeterRegistry registry;

    public Reporter(Dispatches dispatches, Outbox outbox, MeterRegistry registry) {
        this.dispatches = dispatches;
        this.outbox = outbox;
        this.registry = registry;
    }

    /**
     * Records, then publishes. {@code expectedCalls} ≥ 0: only if no bank call started since (else a retry).
     * A WAITING verdict (the bank was not called) only schedules the row for the retry loop and publishes nothing:
     * the saga hears about the dispatch when the bank has actually been called.
     */
    public Uni<Void> report(Mutiny.Session session, UUID transferId, String ref, Verdict verdict, int expectedCalls) {
        if (verdict.isResend()) {
            return dispatches.resend(session, transferId, verdict, expectedCalls).invoke(rows -> {
                if (rows == 0) {
                    throw new IllegalStateException("a bank call for transfer " + transferId
                            + " started after the inquiry was answered; inquiring again");
                }
                registry.counter("payout_bank_resends").increment();
            }).replaceWithVoid();
        }
        if (verdict.kind() == Verdict.Kind.WAITING) {
            return dispatches.waitFor(session, transferId, verdict).invoke(rows -> {
                if (rows == 0) {
                    // the row has had an answer from the bank already (ACCEPTED, UNKNOWN) or is final: the saga
                    // knows the dispatch happened, and this refused re-call adds nothing an inquiry will not tell
                    LOG.infof("transfer %s: bank not called (%s), and its dispatch is past waiting: nothing to do",
                            transferId, verdict.outcome());
                }
            }).replaceWithVoid();
        }
        return dispatches.record(session, transferId, verdict, expectedCalls).flatMap(rows -> {
            if (rows == 0 && expectedCalls >= 0) {
                // a re-dispatch called the bank after this inquiry was answered: the answer may be stale, ask again
                throw new IllegalStateException("a bank call for transfer " + transferId
                        + " started after the inquiry was answered; inquiring again");
            }
            return publish(session, transferId, ref, verdict);
        });
    }

    /** Publishes without touching a row (there is no row of ours to record on). */
    public Uni<Void> publish(Mutiny.Session session, UUID transferId, String ref, Verdict v) {
        return switch (v.kind()) {
            case ACCEPTED, UNKNOWN -> append(session, BankDispatched.TYPE, transferId,
                    new BankDispatched(transferId, ref, v.kind().name()));
            case SUCCEEDED, FAILED -> append(session, BankResult.TYPE, transferId,
                    new BankResult(transferId, ref, v.kind().name(), v.source(), v.reason()));
            case COLLISION -> {
                registry.counter("payout_bank_collisions").increment();
                yield append(session, BankCollision.TYPE, transferId, new BankCollision(transferId, ref, v.detail()));
            }
            case PENDING, WAITING -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> append(Mutiny.Session session, String type, UUID transferId, Object event) {
        return outbox.append(session, type, transferId.toString(), event, Instant.now()).replaceWithVoid();
    }
}
