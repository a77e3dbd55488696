package io.payout.ledger.commands;

import io.payout.ledger.account.AccountRepository;
import io.payout.ledger.account.AccountRepository.AccountRow;
import io.payout.ledger.account.SystemAccounts;
import io.payout.ledger.commands.LedgerMessages.Hold;
import io.payout.ledger.db.Columns;
import io.payout.ledger.posting.BalanceRows;
import io.payout.ledger.posting.HoldRejection;
import io.payout.ledger.posting.LedgerMetrics;
import io.payout.ledger.posting.Posting;
import io.payout.ledger.posting.PostingKind;
import io.payout.ledger.posting.Postings;
import io.payout.platform.outbox.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.util.Objects;
import java.util.UUID;

/**
 * Decides a {@code ledger.hold}, once per transfer, inside the consumer's transaction.
 * <ol>
 *   <li>Claim the transfer: insert its {@code hold_requests} row with {@code ON CONFLICT DO NOTHING}. Another
 *       {@code ledger.hold} for the same transfer (a new message id: the inbox only catches the same id) waits for
 *       the first to commit, inserts nothing and answers with the first one's decision. A refused hold is never
 *       placed later by such a repeat, and a placed one never twice.</li>
 *   <li>Check, in this order: the account exists (as a customer account), belongs to the transfer's client, is in
 *       the transfer's currency.</li>
 *   <li>Reserve the funds with ONE conditional UPDATE on the balance row ({@link BalanceRows#reserve}); no row
 *       updated means insufficient funds. Never read-then-write: that would let two holds spend the same money.</li>
 *   <li>Write the HOLD posting (customer −amount, holds +amount) and record the decision.</li>
 * </ol>
 */
@ApplicationScoped
public class Holds {
    private static final Logger LOG = Logger.getLogger(Holds.class);

    private static final String CLAIM = """
            insert into hold_requests (transfer_id, client_id, account_id, amount_minor, currency)
            values (:transfer, :client, :account, :amount, :currency)
            on conflict (transfer_id) do nothing""";
    private static final String EARLIER = """
            select outcome, reason, client_id, account_id, amount_minor, currency
              from hold_requests where transfer_id = :transfer""";
    private static final String DECIDE = """
            update hold_requests set outcome = :outcome, reason = :reason, posting_id = :posting
             where transfer_id = :transfer and outcome is null""";

    /** The answer to a hold: the event the saga gets. */
    public sealed interface Decision {
        record Placed() implements Decision {
        }

        record Rejected(HoldRejection reason) implements Decision {
        }
    }

    private final AccountRepository accounts;
    private final BalanceRows balances;
    private final Postings postings;
    private final LedgerMetrics metrics;

    public Holds(AccountRepository accounts, BalanceRows balances, Postings postings, LedgerMetrics metrics) {
        this.accounts = accounts;
        this.balances = balances;
        this.postings = postings;
        this.metrics = metrics;
    }

    public Uni<Decision> place(Mutiny.Session session, Hold hold) {
        return session.createNativeQuery(CLAIM)
                .setParameter("transfer", hold.transferId())
                .setParameter("client", hold.clientId())
                .setParameter("account", hold.sourceAccount())
                .setParameter("amount", hold.amountMinor())
                .setParameter("currency", hold.currency())
                .executeUpdate()
                .flatMap(claimed -> claimed == 1 ? decide(session, hold) : earlier(session, hold));
    }

    private Uni<Decision> decide(Mutiny.Session session, Hold hold) {
        return accounts.find(session, hold.sourceAccount()).flatMap(account -> {
            HoldRejection refusal = check(account, hold);
            if (refusal != null) {
                return reject(session, hold, refusal);
            }
            return balances.reserve(session, account.id(), hold.amountMinor())
                    .flatMap(reserved -> reserved
                            ? post(session, hold, account)
                            : reject(session, hold, HoldRejection.INSUFFICIENT_FUNDS));
        });
    }

    /** The checks that need no balance, in the documented order; null when all pass. */
    private static HoldRejection check(AccountRow account, Hold hold) {
        if (account == null || !account.customer()) {
            return HoldRejection.ACCOUNT_NOT_FOUND;
        }
        if (!account.owner().equals(hold.clientId())) {
            return HoldRejection.ACCOUNT_NOT_OWNED;
        }
        if (!account.currency().equals(hold.currency())) {
            return HoldRejection.CURRENCY_MISMATCH;
        }
        return null;
    }

    private Uni<Decision> post(Mutiny.Session session, Hold hold, AccountRow account) {
        String currency = account.currency();
        Posting posting = Posting.move(Ids.uuidV7(), PostingKind.HOLD, hold.transferId(), null, null, currency,
                account.id(), SystemAccounts.holds(currency), hold.amountMinor());
        return postings.write(session, posting).flatMap(written -> {
            if (!written) {
                // the claim above makes this transaction the only one deciding this transfer
                throw new IllegalStateException("HOLD posting for " + hold.transferId() + " exists despite the claim");
            }
            return record(session, hold.transferId(), "PLACED", null, posting.id());
        }).replaceWith(new Decision.Placed());
    }

    private Uni<Decision> reject(Mutiny.Session session, Hold hold, HoldRejection reason) {
        metrics.holdRejected(reason);
        return record(session, hold.transferId(), "REJECTED", reason.name(), null)
                .replaceWith(new Decision.Rejected(reason));
    }

    private static Uni<Void> record(Mutiny.Session session, UUID transfer, String outcome, String reason, UUID posting) {
        return session.createNativeQuery(DECIDE)
                .setParameter("outcome", outcome)
                .setParameter("reason", reason)
                .setParameter("posting", posting)
                .setParameter("transfer", transfer)
                .executeUpdate()
                .map(rows -> {
                    if (rows != 1) {
                        throw new IllegalStateException("hold of " + transfer + " decided twice");
                    }
                    return null;
                });
    }

    /** A repeat for a transfer already decided: the same answer again, nothing written. */
    private Uni<Decision> earlier(Mutiny.Session session, Hold hold) {
        return session.createNativeQuery(EARLIER).setParameter("transfer", hold.transferId()).getResultList()
                .map(rows -> {
                    if (rows.isEmpty() || ((Object[]) rows.getFirst())[0] == null) {
                        throw new IllegalStateException("hold of " + hold.transferId() + " claimed but not decided");
                    }
                    Object[] r = (Object[]) rows.getFirst();
                    boolean same = Objects.equals(Columns.text(r[2]), hold.clientId())
                            && Objects.equals(Columns.text(r[3]), hold.sourceAccount())
                            && Columns.longValue(r[4]) == hold.amountMinor()
                            && Objects.equals(Columns.text(r[5]), hold.currency());
                    if (!same) {
                        // a transfer's hold never changes; answer what was decided, and say so
                        LOG.warnf("ledger.hold for transfer %s differs from the one decided earlier; "
                                + "answering the earlier decision", hold.transferId());
                    }
                    metrics.repeated("hold_repeated");
                    String outcome = Columns.text(r[0]);
                    return "PLACED".equals(outcome)
                            ? new Decision.Placed()
                            : new Decision.Rejected(HoldRejection.valueOf(Columns.text(r[1])));
                });
    }
}
