package io.payout.ledger.commands;

import io.payout.ledger.account.SystemAccounts;
import io.payout.ledger.commands.LedgerMessages.TransferCommand;
import io.payout.ledger.db.Columns;
import io.payout.ledger.posting.BalanceRows;
import io.payout.ledger.posting.LedgerMetrics;
import io.payout.ledger.posting.Posting;
import io.payout.ledger.posting.PostingKind;
import io.payout.ledger.posting.Postings;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.LocalDate;

/**
 * Ends a placed hold: SETTLE (holds −amount, bank-clearing +amount; the money left) or RELEASE (holds −amount,
 * customer +amount; the transfer failed). One of the two per transfer, ever: the posting's insert is refused by
 * {@code postings_once_per_transfer} and {@code postings_settle_xor_release} (V1), so a repeat, or the opposite
 * command, writes nothing whatever the interleaving.
 */
@ApplicationScoped
public class HoldCompletions {
    private static final Logger LOG = Logger.getLogger(HoldCompletions.class);

    private static final String PLACED_HOLD = """
            select account_id, amount_minor, currency from hold_requests
             where transfer_id = :transfer and outcome = 'PLACED'""";
    private static final String COMPLETION = """
            select kind from postings where transfer_id = :transfer and kind in ('SETTLE', 'RELEASE')""";

    private record PlacedHold(String account, long amountMinor, String currency) {
    }

    private final Postings postings;
    private final BalanceRows balances;
    private final LedgerMetrics metrics;

    public HoldCompletions(Postings postings, BalanceRows balances, LedgerMetrics metrics) {
        this.postings = postings;
        this.balances = balances;
        this.metrics = metrics;
    }

    /**
     * {@code valueDate} places the settle on that day's bank statement for reconciliation; null (an older producer)
     * lets reconciliation use the posting's creation date instead.
     */
    public Uni<Void> settle(Mutiny.Session session, TransferCommand command, String externalRef, LocalDate valueDate) {
        if (externalRef == null || externalRef.isBlank()) {
            // the money has left: settle anyway, but reconciliation will not be able to match this one
            LOG.warnf("ledger.settle for %s without external_ref", command.transferId());
        }
        return placedHold(session, command).flatMap(hold -> {
            Posting posting = Posting.move(Ids.uuidV7(), PostingKind.SETTLE, command.transferId(), null, externalRef,
                    valueDate, hold.currency(), SystemAccounts.holds(hold.currency()),
                    SystemAccounts.bankClearing(hold.currency()), hold.amountMinor());
            return postings.write(session, posting).flatMap(written -> written
                    ? balances.consumeHold(session, hold.account(), hold.amountMinor())
                    : alreadyCompleted(session, command, PostingKind.SETTLE));
        });
    }

    /**
     * {@code externalRef} (null when the transfer never reached the bank) is kept on the posting: should the bank
     * have paid after all, reconciliation names the transfer of that statement line through it.
     */
    public Uni<Void> release(Mutiny.Session session, TransferCommand command, String externalRef) {
        String ref = externalRef == null || externalRef.isBlank() ? null : externalRef;
        return placedHold(session, command).flatMap(hold -> {
            Posting posting = Posting.move(Ids.uuidV7(), PostingKind.RELEASE, command.transferId(), null, ref,
                    hold.currency(), SystemAccounts.holds(hold.currency()), hold.account(), hold.amountMinor());
            return postings.write(session, posting).flatMap(written -> written
                    ? balances.returnHold(session, hold.account(), hold.amountMinor())
                    : alreadyCompleted(session, command, PostingKind.RELEASE));
        });
    }

    /**
     * The hold this command ends. None (never placed, or refused) or a different amount: no retry can fix it, so
     * the command goes to the dead-letter queue with the reason, for ops.
     */
    private static Uni<PlacedHold> placedHold(Mutiny.Session session, TransferCommand command) {
        return session.createNativeQuery(PLACED_HOLD).setParameter("transfer", command.transferId()).getResultList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new PoisonMessage("no hold placed for transfer " + command.transferId());
                    }
                    Object[] r = (Object[]) rows.getFirst();
                    PlacedHold hold = new PlacedHold(Columns.text(r[0]), Columns.longValue(r[1]), Columns.text(r[2]));
                    if (hold.amountMinor() != command.amountMinor() || !hold.currency().equals(command.currency())) {
                        throw new PoisonMessage("transfer " + command.transferId() + ": " + command.amountMinor() + " "
                                + command.currency() + " differs from its hold of " + hold.amountMinor() + " "
                                + hold.currency());
                    }
                    return hold;
                });
    }

    /** The posting was refused: a repeat (no-op), or the opposite completion (refused; ops must look). */
    private Uni<Void> alreadyCompleted(Mutiny.Session session, TransferCommand command, PostingKind kind) {
        return session.createNativeQuery(COMPLETION).setParameter("transfer", command.transferId()).getResultList()
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new IllegalStateException(kind + " of " + command.transferId()
                                + " refused by a unique key, yet no settle or release exists");
                    }
                    PostingKind existing = PostingKind.valueOf(Columns.text(rows.getFirst()));
                    if (existing == kind) {
                        metrics.repeated(kind.name().toLowerCase() + "_repeated");
                    } else {
                        metrics.refused(kind, existing);
                        LOG.errorf("%s refused for transfer %s: it was already %s; nothing written",
                                kind, command.transferId(), existing == PostingKind.SETTLE ? "settled" : "released");
                    }
                    return null;
                });
    }
}
