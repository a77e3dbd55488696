package io.payout.ledger.balance;

import io.payout.ledger.account.AccountRepository.AccountRow;
import io.payout.ledger.account.SystemAccounts;
import io.payout.ledger.db.Columns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Balances and history, read from the ledger.
 * <ul>
 *   <li>Now: a customer account's maintained row ({@code account_balances}); a system account's sum of entries.</li>
 *   <li>As of an instant: derived from the append-only entries alone, never from the balance row.
 *       {@code available} = the sum of the account's entries created at or before the instant.
 *       {@code held} = the sum of the {@code holds:<CUR>} entries, created at or before the instant, of the
 *       transfers whose HOLD posting debited this account: the hold's +amount, minus its settle's or release's
 *       −amount once that exists. The holds account is shared by all customers of a currency; the transfer id on
 *       the postings is what attributes its entries to one customer.</li>
 * </ul>
 * Entries carry their transaction's {@code now()} (the database's clock), so a posting is wholly before or wholly
 * after any instant.
 */
@ApplicationScoped
public class BalanceReader {
    private static final String ROW = """
            select available_minor, held_minor, now() from account_balances where account_id = :account""";
    private static final String SUM_NOW = """
            select coalesce(sum(amount_minor), 0), now() from entries where account_id = :account""";
    private static final String AVAILABLE_AS_OF = """
            select coalesce(sum(amount_minor), 0) from entries where account_id = :account and created_at <= :at""";
    private static final String HELD_AS_OF = """
            select coalesce(sum(x.amount_minor), 0)
              from postings h
              join entries he on he.posting_id = h.id and he.account_id = :account
              join postings q on q.transfer_id = h.transfer_id
              join entries x on x.posting_id = q.id and x.account_id = :holds
             where h.kind = 'HOLD' and x.created_at <= :at""";
    private static final String ENTRIES = """
            select e.id, e.posting_id, p.kind, p.transfer_id, p.reference, p.external_ref, e.amount_minor, e.currency,
                   e.created_at
              from entries e join postings p on p.id = e.posting_id
             where e.account_id = :account
             order by e.created_at desc, e.id desc
             limit :limit offset :offset""";
    private static final String TOTALS = """
            select currency, coalesce(sum(amount_minor), 0), count(*) from entries group by currency order by currency""";

    /** Amounts in minor units; {@code asOf} is the instant they are true at. */
    public record Balance(long availableMinor, long heldMinor, Instant asOf) {
    }

    public record Entry(long id, UUID postingId, String kind, UUID transferId, String reference, String externalRef,
                        long amountMinor, String currency, Instant createdAt) {
    }

    public record CurrencyTotal(String currency, BigInteger sumMinor, long entries) {
    }

    public Uni<Balance> current(Mutiny.Session session, AccountRow account) {
        if (!account.customer()) {
            return one(session.createNativeQuery(SUM_NOW).setParameter("account", account.id()))
                    .map(r -> new Balance(Columns.longValue(r[0]), 0, Columns.instant(r[1])));
        }
        return one(session.createNativeQuery(ROW).setParameter("account", account.id()))
                .map(r -> new Balance(Columns.longValue(r[0]), Columns.longValue(r[1]), Columns.instant(r[2])));
    }

    public Uni<Balance> asOf(Mutiny.Session session, AccountRow account, Instant at) {
        // timestamptz has microseconds: an entry is at or before the instant iff it is at or before its floor
        Instant floor = at.truncatedTo(ChronoUnit.MICROS);
        Uni<Long> available = session.createNativeQuery(AVAILABLE_AS_OF)
                .setParameter("account", account.id())
                .setParameter("at", Columns.param(floor))
                .getSingleResult().map(Columns::longValue);
        if (!account.customer()) {
            return available.map(a -> new Balance(a, 0, at));
        }
        return available.flatMap(a -> session.createNativeQuery(HELD_AS_OF)
                .setParameter("account", account.id())
                .setParameter("holds", SystemAccounts.holds(account.currency()))
                .setParameter("at", Columns.param(floor))
                .getSingleResult().map(h -> new Balance(a, Columns.longValue(h), at)));
    }

    /** Newest first; ties (one posting) broken by entry id, so pages are stable. */
    public Uni<List<Entry>> entries(Mutiny.Session session, String accountId, int page, int size) {
        return session.createNativeQuery(ENTRIES)
                .setParameter("account", accountId)
                .setParameter("limit", size)
                .setParameter("offset", (long) page * size)
                .getResultList()
                .map(rows -> rows.stream().map(o -> {
                    Object[] r = (Object[]) o;
                    return new Entry(Columns.longValue(r[0]), Columns.uuid(r[1]), Columns.text(r[2]),
                            Columns.uuid(r[3]), Columns.text(r[4]), Columns.text(r[5]), Columns.longValue(r[6]),
                            Columns.text(r[7]), Columns.instant(r[8]));
                }).toList());
    }

    /** Per currency, the sum of every entry ever written: zero, or double entry is broken. */
    public Uni<List<CurrencyTotal>> totals(Mutiny.Session session) {
        return session.createNativeQuery(TOTALS).getResultList().map(rows -> rows.stream().map(o -> {
            Object[] r = (Object[]) o;
            return new CurrencyTotal(Columns.text(r[0]), Columns.bigInteger(r[1]), Columns.longValue(r[2]));
        }).toList());
    }

    private static Uni<Object[]> one(org.hibernate.reactive.mutiny.Mutiny.SelectionQuery<?> query) {
        return query.getResultList().map(rows -> {
            if (rows.size() != 1) {
                throw new IllegalStateException("expected one row, got " + rows.size());
            }
            return (Object[]) rows.getFirst();
        });
    }
}
