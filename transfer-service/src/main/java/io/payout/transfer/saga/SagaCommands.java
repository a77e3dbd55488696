package io.payout.transfer.saga;

import io.payout.platform.outbox.Outbox;
import io.payout.transfer.saga.SagaMessages.BankDispatch;
import io.payout.transfer.saga.SagaMessages.BankInquiry;
import io.payout.transfer.saga.SagaMessages.LedgerRelease;
import io.payout.transfer.saga.SagaMessages.LedgerSettle;
import io.payout.transfer.state.Transfer;
import io.payout.transfer.state.TransferStateMachine.Effect;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.UUID;

/** The command each effect of the state machine sends, written to the outbox in the caller's transaction. */
@ApplicationScoped
public class SagaCommands {
    private final Outbox outbox;

    public SagaCommands(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> send(Mutiny.Session session, Effect effect, Transfer t) {
        return switch (effect) {
            case NONE -> Uni.createFrom().voidItem();
            case DISPATCH -> send(session, BankDispatch.TYPE, t.id, new BankDispatch(t.id, t.clientId,
                    t.clientRequestId, t.sourceAccount, t.destBankCode, t.destAccountNumber, t.amountMinor, t.currency,
                    t.valueDate));
            case SETTLE -> send(session, LedgerSettle.TYPE, t.id,
                    new LedgerSettle(t.id, t.amountMinor, t.currency, t.externalRef, t.valueDate));
            case RELEASE -> send(session, LedgerRelease.TYPE, t.id,
                    new LedgerRelease(t.id, t.amountMinor, t.currency, t.externalRef));
            case INQUIRE -> inquire(session, t.id, t.externalRef);
        };
    }

    public Uni<Void> inquire(Mutiny.Session session, UUID transferId, String externalRef) {
        return send(session, BankInquiry.TYPE, transferId, new BankInquiry(transferId, externalRef));
    }

    private Uni<Void> send(Mutiny.Session session, String type, UUID transferId, Object payload) {
        return outbox.append(session, type, transferId.toString(), payload, Instant.now()).replaceWithVoid();
    }
}
