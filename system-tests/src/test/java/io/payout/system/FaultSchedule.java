package io.payout.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.payout.system.BankFaults.rule;

/**
 * The crash/restart suite's faults, in order, from a seed: the same seed and mix give the same kinds, targets and
 * bank scripts in the same order (when each one lands depends on the machine).
 */
public final class FaultSchedule {
    public static final String KILL = "kill-9";
    public static final String TERM = "sigterm-restart";
    public static final String RABBITMQ = "rabbitmq-restart";
    public static final String POSTGRES = "postgresql-restart";
    public static final String BANK = "bank-faults";
    public static final List<String> KINDS = List.of(KILL, TERM, RABBITMQ, POSTGRES, BANK);

    /**
     * What the sandbox may do wrong in a bank window. Not ignore_duplicate_ref: a bank that pays a ref twice is
     * reconciliation's business (ReconciliationIT), and with it "no double execution" could not hold by definition.
     */
    private static final List<String> BANK_RULES = List.of(
            rule("timeout", 0.3), rule("error_5xx", 0.3), rule("error_429", 0.3),
            rule("drop_response_after_commit", 0.3), rule("malformed_json", 0.2), rule("unexpected_status", 0.2),
            rule("empty_body", 0.2), rule("latency_ms", 0.3, 500), rule("webhook_duplicate", 0.3),
            rule("webhook_reorder", 0.3), rule("webhook_delay_ms", 0.3, 3_000), rule("webhook_drop", 0.3),
            rule("webhook_contradict", 0.2));

    /** One fault: its kind, and for process faults which service and instance; for bank windows the script. */
    public record Fault(int index, String kind, String service, String instance, List<String> bankRules) {
        public String describe() {
            return switch (kind) {
                case KILL, TERM -> kind + " " + service + "-" + instance;
                case BANK -> kind + " " + bankRules.size() + " rules";
                default -> kind;
            };
        }
    }

    private FaultSchedule() {
    }

    /** {@code mix}: kind → how many, e.g. {@code kill-9:8,sigterm-restart:4,...} (see {@link #KINDS}). */
    public static Map<String, Integer> parseMix(String mix) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String part : mix.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2 || !KINDS.contains(kv[0].trim())) {
                throw new IllegalArgumentException("fault mix '" + mix + "': use kind:count with kinds " + KINDS);
            }
            counts.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        }
        return counts;
    }

    public static List<Fault> plan(long seed, Map<String, Integer> mix) {
        Random random = new Random(seed);
        List<String> kinds = new ArrayList<>();
        mix.forEach((kind, n) -> kinds.addAll(Collections.nCopies(n, kind)));
        Collections.shuffle(kinds, random);
        List<Fault> faults = new ArrayList<>();
        for (String kind : kinds) {
            String service = FaultStack.SERVICES.get(random.nextInt(FaultStack.SERVICES.size()));
            String instance = FaultStack.INSTANCES.get(random.nextInt(FaultStack.INSTANCES.size()));
            List<String> rules = new ArrayList<>(BANK_RULES);
            Collections.shuffle(rules, random);
            rules = List.copyOf(rules.subList(0, 2 + random.nextInt(3)));
            boolean process = KILL.equals(kind) || TERM.equals(kind);
            faults.add(new Fault(faults.size(), kind, process ? service : null, process ? instance : null,
                    BANK.equals(kind) ? rules : List.of()));
        }
        return faults;
    }
}
