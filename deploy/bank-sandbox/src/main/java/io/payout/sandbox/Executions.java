package io.payout.sandbox;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sandbox bank's book, in memory, keyed by {@code bank_tran_id}. Every change is one atomic map operation
 * ({@code putIfAbsent}, {@code computeIfPresent}): that, and nothing else, is what makes a {@code bank_tran_id}
 * execute once under any number of concurrent identical requests.
 * <p>
 * The statement is a journal per value date, append-only: a withdrawal is posted to it when its transfer has
 * succeeded (at settlement, or at once for a withdrawal of an already succeeded transfer), inside the same map
 * operation that changed the transfer. Lines never move once posted, so a reader paging through a day while the
 * bank keeps executing neither loses nor repeats a line: new lines only append.
 */
@ApplicationScoped
public class Executions {
    private final Map<String, BankTransfer> byRef = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Value date → its statement lines in posting order; each list guarded by itself. */
    private final Map<LocalDate, List<Line>> journal = new ConcurrentHashMap<>();

    /** The result of submitting an order: the transfer as it now stands, and whether this call created it. */
    public record Submission(BankTransfer transfer, boolean first) {
    }

    /**
     * Records the order under its {@code bank_tran_id} unless one is already there. A first order is either
     * rejected ({@code rejectReason} non-null: no money leaves, FAILED at once) or executed (money leaves now,
     * PROCESSING until settled). A repeat changes nothing and returns the original.
     */
    public Submission submit(TransferOrder order, String rejectReason, Instant now, ZoneId zone) {
        BankTransfer fresh = rejectReason != null
                ? new BankTransfer(sequence.incrementAndGet(), order, BankTransfer.FAILED, rejectReason, List.of())
                : new BankTransfer(sequence.incrementAndGet(), order, BankTransfer.PROCESSING, null,
                List.of(withdrawal(order, now, zone)));
        BankTransfer existing = byRef.putIfAbsent(order.bankTranId(), fresh);
        return existing == null ? new Submission(fresh, true) : new Submission(existing, false);
    }

    /**
     * The buggy bank ({@code ignore_duplicate_ref}): money leaves again for a {@code bank_tran_id} that already
     * executed, for the repeat's amount. Status and settlement are untouched (the one pending settle timer settles
     * the ref). Empty when the ref is unknown or was rejected: there is no execution to repeat.
     */
    public Optional<BankTransfer> executeAgain(TransferOrder order, Instant now, ZoneId zone) {
        BankTransfer[] again = new BankTransfer[1];
        byRef.computeIfPresent(order.bankTranId(), (ref, t) -> {
            if (t.withdrawals().isEmpty()) {
                return t;
            }
            Withdrawal w = withdrawal(order, now, zone);
            again[0] = t.withWithdrawal(w);
            // a still PROCESSING transfer posts all its withdrawals at settlement
            if (BankTransfer.SUCCEEDED.equals(t.status())) {
                post(ref, w);
            }
            return again[0];
        });
        return Optional.ofNullable(again[0]);
    }

    private static Withdrawal withdrawal(TransferOrder order, Instant now, ZoneId zone) {
        return new Withdrawal(order.amount(), order.currency(), now, LocalDate.ofInstant(now, zone));
    }

    /**
     * PROCESSING → SUCCEEDED for the acceptance {@code sequence} names; empty when that acceptance is gone (reset)
     * or already final, so a late timer changes nothing.
     */
    public Optional<BankTransfer> settle(String bankTranId, long sequence) {
        BankTransfer[] settled = new BankTransfer[1];
        byRef.computeIfPresent(bankTranId, (ref, t) -> {
            if (t.sequence() != sequence || !BankTransfer.PROCESSING.equals(t.status())) {
                return t;
            }
            settled[0] = t.withStatus(BankTransfer.SUCCEEDED, null);
            t.withdrawals().forEach(w -> post(ref, w));
            return settled[0];
        });
        return Optional.ofNullable(settled[0]);
    }

    /** What {@link #force} did. */
    public enum Forced { EXECUTED, UNKNOWN, ALREADY_EXECUTED }

    /**
     * The bank executes, late, an order it knows but never executed (one it rejected): money leaves now, the
     * transfer is SUCCEEDED at once and its line is posted on today's statement. Nothing for an unknown ref or one
     * that already executed (whatever its status): forcing never makes a second withdrawal.
     */
    public Forced force(String bankTranId, Instant now, ZoneId zone) {
        Forced[] outcome = {Forced.UNKNOWN};
        byRef.computeIfPresent(bankTranId, (ref, t) -> {
            if (!t.withdrawals().isEmpty()) {
                outcome[0] = Forced.ALREADY_EXECUTED;
                return t;
            }
            Withdrawal w = withdrawal(t.order(), now, zone);
            post(ref, w);
            outcome[0] = Forced.EXECUTED;
            return t.withWithdrawal(w).withStatus(BankTransfer.SUCCEEDED, null);
        });
        return outcome[0];
    }

    /** Appends one line to its value date's statement; called only inside the transfer's map operation. */
    private void post(String bankTranId, Withdrawal w) {
        List<Line> day = journal.computeIfAbsent(w.valueDate(), d -> new ArrayList<>());
        synchronized (day) {
            day.add(new Line(bankTranId, w));
        }
    }

    public Optional<BankTransfer> find(String bankTranId) {
        return Optional.ofNullable(byRef.get(bankTranId));
    }

    /** A withdrawal with the ref it was made for: one statement line. */
    public record Line(String bankTranId, Withdrawal withdrawal) {
    }

    /**
     * The statement of {@code valueDate} as it stands: the withdrawals of transfers that succeeded, in posting order
     * (one line per withdrawal, so a doubled ref shows twice). A copy: later postings only ever append to it.
     */
    public List<Line> statementOf(LocalDate valueDate) {
        List<Line> day = journal.get(valueDate);
        if (day == null) {
            return List.of();
        }
        synchronized (day) {
            return List.copyOf(day);
        }
    }

    /** Every {@code bank_tran_id} the bank has seen, ordered by it. */
    public List<Execution> list() {
        return byRef.values().stream().map(Execution::of)
                .sorted(Comparator.comparing(Execution::bankTranId)).toList();
    }

    /** Forgets everything (tests only). Pending settlements of forgotten transfers then do nothing. */
    public void reset() {
        byRef.clear();
        journal.clear();
    }
}
