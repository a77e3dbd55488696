package io.payout.ledger.posting;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The maintained balance rows of customer accounts ({@code account_balances}), changed in the same transaction as
 * the entries they summarize. Every change is one UPDATE; the row lock it takes is the only serialization between
 * concurrent postings on one account.
 */
@ApplicationScoped
public class BalanceRows {
    /**
     * The overdraft check and the reservation in one statement: concurrent holds queue on the row lock and each
     * re-evaluates {@code available_minor >= :amount} against the committed result of the one before.
     */
    private static final String RESERVE = """
            update account_balances
               set available_minor = available_minor - :amount, held_minor = held_minor + :amount
             where account_id = :account and available_minor >= :amount""";
    private static final String CREDIT = """
            update account_balances set available_minor = available_minor + :amount where account_id = :account""";
    private static final String CONSUME_HOLD = """
            update account_balances set held_minor = held_minor - :amount where account_id = :account""";
    private static final String RETURN_HOLD = """
            update account_balances
               set held_minor = held_minor - :amount, available_minor = available_minor + :amount
             where account_id = :account""";

    /** Moves {@code amount} from available to held; false (nothing changed) when available is short. */
    public Uni<Boolean> reserve(Mutiny.Session session, String account, long amount) {
        return update(session, RESERVE, account, amount).map(rows -> rows == 1);
    }

    /** A deposit: available grows. */
    public Uni<Void> credit(Mutiny.Session session, String account, long amount) {
        return exactlyOne(session, CREDIT, account, amount);
    }

    /** A settle: the held money is gone for good. */
    public Uni<Void> consumeHold(Mutiny.Session session, String account, long amount) {
        return exactlyOne(session, CONSUME_HOLD, account, amount);
    }

    /** A release: the held money is available again. */
    public Uni<Void> returnHold(Mutiny.Session session, String account, long amount) {
        return exactlyOne(session, RETURN_HOLD, account, amount);
    }

    private static Uni<Void> exactlyOne(Mutiny.Session session, String sql, String account, long amount) {
        return update(session, sql, account, amount).map(rows -> {
            if (rows != 1) {
                // every customer account gets its row from the database when it is created (V2 trigger)
                throw new IllegalStateException("no balance row for account " + account);
            }
            return null;
        });
    }

    private static Uni<Integer> update(Mutiny.Session session, String sql, String account, long amount) {
        return session.createNativeQuery(sql)
                .setParameter("amount", amount)
                .setParameter("account", account)
                .executeUpdate();
    }
}
