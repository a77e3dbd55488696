package io.payout.sandbox;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times each fault was actually applied since the last {@code DELETE /sandbox/faults}. Replacing the script
 * keeps them (so a run that switches scripts, or stops faults with {@code "rules": []}, still reports the total).
 */
public class FaultCounters {
    private final Map<FaultKind, LongAdder> counts = new EnumMap<>(FaultKind.class);

    public FaultCounters() {
        for (FaultKind kind : FaultKind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    public void increment(FaultKind kind) {
        counts.get(kind).increment();
    }

    /** Every fault by wire name, zeros included, in a fixed order: a stable shape for reports. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((kind, n) -> out.put(kind.wireName(), n.sum()));
        return out;
    }

    public void reset() {
        counts.values().forEach(LongAdder::reset);
    }
}
