package io.payout.sandbox;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
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
 */
@ApplicationScoped
public class Executions {
    private final Map<String, BankTransfer> byRef = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

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
            again[0] = t.withWithdrawal(withdrawal(order, now, zone));
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
            return settled[0];
        });
        return Optional.ofNullable(settled[0]);
    }

    public Optional<BankTransfer> find(String bankTranId) {
        return Optional.ofNullable(byRef.get(bankTranId));
    }

    /** A withdrawal with the transfer it belongs to: one statement line. */
    public record Line(BankTransfer transfer, Withdrawal withdrawal) {
    }

    /**
     * The withdrawals that left on {@code valueDate} for transfers that succeeded, in execution order: one line per
     * withdrawal, so a doubled ref shows twice.
     */
    public List<Line> executedOn(LocalDate valueDate) {
        return byRef.values().stream()
                .filter(t -> BankTransfer.SUCCEEDED.equals(t.status()))
                .flatMap(t -> t.withdrawals().stream().filter(w -> valueDate.equals(w.valueDate()))
                        .map(w -> new Line(t, w)))
                .sorted(Comparator.comparing((Line l) -> l.withdrawal().executedAt())
                        .thenComparing(l -> l.transfer().bankTranId()))
                .toList();
    }

    /** Every {@code bank_tran_id} the bank has seen, ordered by it. */
    public List<Execution> list() {
        return byRef.values().stream().map(Execution::of)
                .sorted(Comparator.comparing(Execution::bankTranId)).toList();
    }

    /** Forgets everything (tests only). Pending settlements of forgotten transfers then do nothing. */
    public void reset() {
        byRef.clear();
    }
}
