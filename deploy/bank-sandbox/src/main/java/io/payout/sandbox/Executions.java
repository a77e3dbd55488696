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
                ? new BankTransfer(sequence.incrementAndGet(), order, BankTransfer.FAILED, rejectReason, 0, null, null)
                : new BankTransfer(sequence.incrementAndGet(), order, BankTransfer.PROCESSING, null, 1, now,
                LocalDate.ofInstant(now, zone));
        BankTransfer existing = byRef.putIfAbsent(order.bankTranId(), fresh);
        return existing == null ? new Submission(fresh, true) : new Submission(existing, false);
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

    /** The withdrawals that left on {@code valueDate} and succeeded, in execution order. */
    public List<BankTransfer> executedOn(LocalDate valueDate) {
        return byRef.values().stream()
                .filter(t -> t.withdrawals() > 0 && BankTransfer.SUCCEEDED.equals(t.status())
                        && valueDate.equals(t.valueDate()))
                .sorted(Comparator.comparing(BankTransfer::executedAt).thenComparing(BankTransfer::bankTranId))
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
