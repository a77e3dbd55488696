package io.payout.ledger.account;

import io.payout.ledger.db.Columns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;

/** Accounts as the ledger's code needs them: read one, open a customer account idempotently. */
@ApplicationScoped
public class AccountRepository {
    private static final String FIND = "select id, currency, owner, kind, created_at from accounts where id = :id";
    private static final String INSERT_CUSTOMER = """
            insert into accounts (id, currency, owner, kind) values (:id, :currency, :owner, 'CUSTOMER')
            on conflict (id) do nothing""";

    /** An account row; {@code owner} is null for system accounts. */
    public record AccountRow(String id, String currency, String owner, AccountKind kind, Instant createdAt) {
        public boolean customer() {
            return kind == AccountKind.CUSTOMER;
        }
    }

    public sealed interface Opened {
        AccountRow account();

        /** This request created it. */
        record Created(AccountRow account) implements Opened {
        }

        /** It already existed exactly as requested (a repeat). */
        record AlreadyThere(AccountRow account) implements Opened {
        }

        /** The id is taken by an account with another currency or owner (or a system account). */
        record Conflict(AccountRow account) implements Opened {
        }
    }

    public Uni<AccountRow> find(Mutiny.Session session, String id) {
        return session.createNativeQuery(FIND).setParameter("id", id).getResultList()
                .map(rows -> rows.isEmpty() ? null : row((Object[]) rows.getFirst()));
    }

    /**
     * {@code INSERT … ON CONFLICT DO NOTHING}: of concurrent requests for one id exactly one inserts; the others wait
     * for its commit and compare with what it wrote. The database adds the balance row and the currency's system
     * accounts in the same statement (V2 trigger).
     */
    public Uni<Opened> openCustomer(Mutiny.Session session, String id, String currency, String owner) {
        return session.createNativeQuery(INSERT_CUSTOMER)
                .setParameter("id", id)
                .setParameter("currency", currency)
                .setParameter("owner", owner)
                .executeUpdate()
                .flatMap(inserted -> find(session, id).map(row -> {
                    if (row == null) {
                        throw new IllegalStateException("account " + id + " neither inserted nor found");
                    }
                    if (inserted == 1) {
                        return new Opened.Created(row);
                    }
                    boolean same = row.customer() && row.currency().equals(currency) && row.owner().equals(owner);
                    return same ? new Opened.AlreadyThere(row) : new Opened.Conflict(row);
                }));
    }

    private static AccountRow row(Object[] r) {
        return new AccountRow(Columns.text(r[0]), Columns.text(r[1]), Columns.text(r[2]),
                AccountKind.valueOf(Columns.text(r[3])), Columns.instant(r[4]));
    }
}
