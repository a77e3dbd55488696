package io.payout.sandbox;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The faults drawn for one decision (one request, or one result's webhook): at most one per {@link FaultKind.Group},
 * each with its effective value (the script's, or the configured default). Drawing is not firing: the code that
 * applies a fault counts it ({@link Faults#fired}), because some cannot apply to every request (e.g. a dropped
 * response to a request the bank refused to read, or ignore_duplicate_ref on a first order).
 */
public record FaultDecision(Map<FaultKind.Group, Fired> byGroup) {
    public static final FaultDecision NONE = new FaultDecision(Map.of());

    /** A fault that won its group, with the value to apply (ms, or seconds for error_429's Retry-After; 0 if none). */
    public record Fired(FaultKind kind, long value) {
    }

    public FaultDecision {
        byGroup = byGroup.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(byGroup));
    }

    public Optional<Fired> in(FaultKind.Group group) {
        return Optional.ofNullable(byGroup.get(group));
    }

    /** Whether {@code kind} won its group in this decision. */
    public boolean has(FaultKind kind) {
        Fired f = byGroup.get(kind.group());
        return f != null && f.kind() == kind;
    }

    /** The value of {@code kind} if it won its group; {@code 0} otherwise. */
    public long valueOf(FaultKind kind) {
        return has(kind) ? byGroup.get(kind.group()).value() : 0;
    }
}
