package io.payout.ledger.deposit;

import io.payout.ledger.account.AccountRepository.AccountRow;
import io.payout.ledger.account.SystemAccounts;
import io.payout.ledger.db.Columns;
import io.payout.ledger.posting.BalanceRows;
import io.payout.ledger.posting.Posting;
import io.payout.ledger.posting.PostingKind;
import io.payout.ledger.posting.Postings;
import io.payout.platform.outbox.Ids;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.UUID;

/**
 * Money coming in: a DEPOSIT posting (funding −amount, customer +amount), idempotent on its reference
 * ({@code postings_deposit_reference}, V2). The posting row is inserted first with {@code ON CONFLICT DO NOTHING};
 * whoever inserts nothing (a repeat, or a concurrent request with the same reference, after the winner's commit)
 * reads the stored deposit and compares. The answer is always built from the stored rows, so a repeat gets exactly
 * the first answer's body.
 */
@ApplicationScoped
public class Deposits {
    private static final String FIND = """
            select p.id, p.reference, e.account_id, e.amount_minor, e.currency, p.created_at
              from postings p join entries e on e.posting_id = p.id
             where p.kind = 'DEPOSIT' and p.reference = :reference and e.amount_minor > 0""";

    /** A stored deposit: the customer's (positive) entry of the posting. */
    public record Deposit(UUID postingId, String reference, String accountId, long amountMinor, String currency,
                          Instant createdAt) {
    }

    public sealed interface Outcome {
        Deposit deposit();

        record Created(Deposit deposit) implements Outcome {
        }

        /** The same reference, account and amount again: nothing written. */
        record Repeated(Deposit deposit) implements Outcome {
        }

        /** The reference was used for another account or amount: nothing written. */
        record ReferenceReused(Deposit deposit) implements Outcome {
        }
    }

    private final Postings postings;
    private final BalanceRows balances;

    public Deposits(Postings postings, BalanceRows balances) {
        this.postings = postings;
        this.balances = balances;
    }

    /** {@code account} must be a customer account; the caller checked the amount against its currency. */
    public Uni<Outcome> deposit(Mutiny.Session session, AccountRow account, long amountMinor, String reference) {
        String currency = account.currency();
        Posting posting = Posting.move(Ids.uuidV7(), PostingKind.DEPOSIT, null, reference, null, currency,
                SystemAccounts.funding(currency), account.id(), amountMinor);
        return postings.write(session, posting)
                .call(written -> written
                        ? balances.credit(session, account.id(), amountMinor)
                        : Uni.createFrom().voidItem())
                .flatMap(written -> find(session, reference).map(stored -> {
                    if (written) {
                        return new Outcome.Created(stored);
                    }
                    boolean same = stored.accountId().equals(account.id()) && stored.amountMinor() == amountMinor;
                    return same ? new Outcome.Repeated(stored) : new Outcome.ReferenceReused(stored);
                }));
    }

    private static Uni<Deposit> find(Mutiny.Session session, String reference) {
        return session.createNativeQuery(FIND).setParameter("reference", reference).getResultList().map(rows -> {
            if (rows.size() != 1) {
                throw new IllegalStateException("deposit " + reference + " has " + rows.size() + " customer entries");
            }
            Object[] r = (Object[]) rows.getFirst();
            return new Deposit(Columns.uuid(r[0]), Columns.text(r[1]), Columns.text(r[2]), Columns.longValue(r[3]),
                    Columns.text(r[4]), Columns.instant(r[5]));
        });
    }
}
