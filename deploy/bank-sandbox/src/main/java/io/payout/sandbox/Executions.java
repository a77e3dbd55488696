package io.payout.sandbox;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sandbox bank's executed withdrawals, in memory, keyed by {@code bank_tran_id}. */
@ApplicationScoped
public class Executions {
    private final Map<String, Execution> byRef = new ConcurrentHashMap<>();

    /** Every execution, ordered by {@code bank_tran_id}. */
    public List<Execution> list() {
        return byRef.values().stream().sorted(Comparator.comparing(Execution::bankTranId)).toList();
    }
}
