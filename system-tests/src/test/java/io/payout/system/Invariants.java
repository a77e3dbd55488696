package io.payout.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §11, checked over everything the stack holds, from the outside: the transfer, ledger and bank-adapter
 * databases (read-only) and the sandbox's executions (the bank's truth). Run it after every scenario.
 */
public final class Invariants {
    private final Payout payout;

    public Invariants(Payout payout) {
        this.payout = payout;
    }

    public void check() {
        everyTransferReachesAnEnd();
        oneTransferPerIntent();
        atMostOneWithdrawalPerTransfer();
        ledgerBalancesAndNoCustomerBelowZero();
        // the settle/release posting follows the transfer's final state by one message: allow it to land
        await().atMost(Payout.SETTLE_WAIT).pollInterval(Duration.ofMillis(200))
                .untilAsserted(this::settledIffSettlePostingIffExecuted);
    }

    /** Every invariant at once, without waiting: invariant → its violations, each naming the ids involved. */
    public Map<String, List<String>> violations() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("1 one transfer per intent", duplicateIntents());
        all.put("2 at most one withdrawal per transfer", doubleWithdrawals());
        all.put("3 ledger sums to zero, no customer below zero", ledgerImbalances());
        all.put("4 SETTLED/FAILED agree with postings and the bank", stateDisagreements());
        all.put("5 every transfer reaches an end", unfinished());
        return all;
    }

    /** 5. every transfer ends SETTLED or FAILED within a bounded time (no faults are injected here). */
    void everyTransferReachesAnEnd() {
        await().atMost(Payout.SETTLE_WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(unfinished()).as("transfers not yet SETTLED or FAILED").isEmpty());
    }

    List<String> unfinished() {
        return payout.query("transfer", "select id::text id, state from transfers where state not in ('SETTLED', 'FAILED')")
                .stream().map(r -> r.get("id") + " is " + r.get("state")).toList();
    }

    /** 1. per (client_id, client_request_id) exactly one transfer. */
    void oneTransferPerIntent() {
        assertThat(duplicateIntents()).isEmpty();
    }

    List<String> duplicateIntents() {
        return payout.query("transfer", """
                select client_id, client_request_id, string_agg(id::text, ' ') ids from transfers
                 group by client_id, client_request_id having count(*) > 1""").stream()
                .map(r -> r.get("client_id") + "/" + r.get("client_request_id") + ": transfers " + r.get("ids")).toList();
    }

    /**
     * Refs of anomalies injected at the bank on purpose (ReconciliationIT) that the latest completed reconciliation
     * of their day reports with this kind. SPEC §11.2: a bank told to ignore duplicates may pay twice, "then
     * reconciliation reports it"; the same holds for a bank that executes an order it had rejected.
     */
    private Set<String> reported(String kind) {
        Set<String> refs = new HashSet<>();
        for (Map<String, Object> m : payout.query("ledger", """
                select m.external_ref from reconciliation_mismatches m
                 where m.kind = ? and m.reconciliation_id in (
                       select distinct on (value_date) id from reconciliations
                        where status = 'COMPLETED' order by value_date, finished_at desc)""", kind)) {
            refs.add((String) m.get("external_ref"));
        }
        return refs;
    }

    /** 2. the bank executed at most one withdrawal per transfer, unless reconciliation reports the duplicate. */
    void atMostOneWithdrawalPerTransfer() {
        assertThat(doubleWithdrawals()).isEmpty();
    }

    List<String> doubleWithdrawals() {
        Map<String, Integer> executions = payout.executions();
        Set<String> duplicates = reported("DUPLICATE_AT_BANK");
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> d : payout.query("bank_adapter", "select transfer_id::text t, external_ref from dispatches")) {
            int n = executions.getOrDefault((String) d.get("external_ref"), 0);
            if (n > 1 && !duplicates.contains((String) d.get("external_ref"))) {
                violations.add(d.get("t") + " (ref " + d.get("external_ref") + ") withdrawn " + n + " times");
            }
        }
        return violations;
    }

    /** 3. per currency all entries sum to zero; no customer account's balance below zero. */
    void ledgerBalancesAndNoCustomerBelowZero() {
        assertThat(ledgerImbalances()).isEmpty();
    }

    List<String> ledgerImbalances() {
        List<String> violations = new ArrayList<>();
        payout.query("ledger",
                "select currency, sum(amount_minor) s from entries group by currency having sum(amount_minor) <> 0")
                .forEach(r -> violations.add("entries in " + r.get("currency") + " sum to " + r.get("s")));
        payout.query("ledger", """
                select e.account_id, sum(e.amount_minor) s from entries e join accounts a on a.id = e.account_id
                 where a.kind = 'CUSTOMER' group by e.account_id having sum(e.amount_minor) < 0""")
                .forEach(r -> violations.add("customer account " + r.get("account_id") + " at " + r.get("s")));
        return violations;
    }

    /**
     * 4. SETTLED ⇔ a settle posting ⇔ the bank executed; FAILED ⇔ no execution, and the hold (if any) released —
     * but for the bank's own injected faults that reconciliation reports (see {@link #reported}).
     */
    void settledIffSettlePostingIffExecuted() {
        assertThat(stateDisagreements()).isEmpty();
    }

    List<String> stateDisagreements() {
        Map<String, Set<String>> postings = new HashMap<>();
        for (Map<String, Object> p : payout.query("ledger",
                "select transfer_id::text t, kind from postings where transfer_id is not null")) {
            postings.computeIfAbsent((String) p.get("t"), k -> new HashSet<>()).add((String) p.get("kind"));
        }
        Map<String, String> refs = new HashMap<>();
        for (Map<String, Object> d : payout.query("bank_adapter", "select transfer_id::text t, external_ref from dispatches")) {
            refs.put((String) d.get("t"), (String) d.get("external_ref"));
        }
        Map<String, Integer> executions = payout.executions();
        Set<String> paidTwice = reported("DUPLICATE_AT_BANK");
        Set<String> paidUnbooked = reported("MISSING_IN_LEDGER");
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> t : payout.query("transfer", "select id::text id, state from transfers")) {
            String id = (String) t.get("id");
            Set<String> kinds = postings.getOrDefault(id, Set.of());
            int executed = refs.containsKey(id) ? executions.getOrDefault(refs.get(id), 0) : 0;
            switch ((String) t.get("state")) {
                case "SETTLED" -> {
                    boolean paidOnce = executed == 1 || executed > 1 && paidTwice.contains(refs.get(id));
                    if (!kinds.contains("SETTLE") || kinds.contains("RELEASE") || !paidOnce) {
                        violations.add(id + " SETTLED with postings " + kinds + " and " + executed + " executions");
                    }
                }
                case "FAILED" -> {
                    boolean holdOpen = kinds.contains("HOLD") && !kinds.contains("RELEASE");
                    boolean unpaid = executed == 0 || paidUnbooked.contains(refs.get(id));
                    if (kinds.contains("SETTLE") || holdOpen || !unpaid) {
                        violations.add(id + " FAILED with postings " + kinds + " and " + executed + " executions");
                    }
                }
                default -> violations.add(id + " is still " + t.get("state"));
            }
        }
        return violations;
    }
}
