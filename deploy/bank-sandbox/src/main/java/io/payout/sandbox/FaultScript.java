package io.payout.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What {@code PUT /sandbox/faults} installs: a seed and an ordered list of rules. The order matters: it is the order
 * in which each decision draws its random numbers and, within a {@link FaultKind.Group}, which fault wins.
 */
public record FaultScript(long seed, List<FaultRule> rules) {
    /** A script longer than this is a mistake, not a test scenario. */
    static final int MAX_RULES = 64;
    private static final Set<String> SCRIPT_FIELDS = Set.of("seed", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("fault", "probability", "value");

    public FaultScript {
        rules = List.copyOf(rules);
    }

    public static FaultScript none(long seed) {
        return new FaultScript(seed, List.of());
    }

    /** A script that could not be installed; {@code errors} lists every problem, not just the first. */
    public static class Invalid extends RuntimeException {
        private final List<String> errors;

        public Invalid(List<String> errors) {
            super(String.join("; ", errors), null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() {
            return errors;
        }
    }

    /**
     * Validates a parsed body strictly, collecting every problem: unknown fields (a misspelt "probabilty" must not
     * silently mean "never"), unknown fault names, a probability outside [0, 1], a value missing where required,
     * present where meaningless, or out of bounds. {@code seed} is optional ({@code defaultSeed} then).
     */
    public static FaultScript read(JsonNode body, long defaultSeed) {
        List<String> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of("the body must be a JSON object {\"seed\": …, \"rules\": […]}"));
        }
        unknownFields(body, SCRIPT_FIELDS, "", errors);
        long seed = defaultSeed;
        JsonNode seedNode = body.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (seedNode.isIntegralNumber() && seedNode.canConvertToLong()) {
                seed = seedNode.longValue();
            } else {
                errors.add("seed must be an integer");
            }
        }
        List<FaultRule> rules = new ArrayList<>();
        JsonNode rulesNode = body.get("rules");
        if (rulesNode == null || rulesNode.isNull()) {
            errors.add("rules is required (an array; [] for no faults)");
        } else if (!rulesNode.isArray()) {
            errors.add("rules must be an array");
        } else if (rulesNode.size() > MAX_RULES) {
            errors.add("rules may hold at most " + MAX_RULES + " rules");
        } else {
            for (int i = 0; i < rulesNode.size(); i++) {
                FaultRule rule = rule(rulesNode.get(i), "rules[" + i + "]", errors);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new FaultScript(seed, rules);
    }

    private static FaultRule rule(JsonNode node, String at, List<String> errors) {
        if (node == null || !node.isObject()) {
            errors.add(at + " must be an object {\"fault\", \"probability\", \"value\"?}");
            return null;
        }
        int before = errors.size();
        unknownFields(node, RULE_FIELDS, at + ".", errors);

        FaultKind kind = null;
        JsonNode fault = node.get("fault");
        if (fault == null || fault.isNull()) {
            errors.add(at + ".fault is required");
        } else if (!fault.isTextual()) {
            errors.add(at + ".fault must be a string");
        } else {
            kind = FaultKind.byWireName(fault.asText()).orElse(null);
            if (kind == null) {
                errors.add(at + ".fault '" + fault.asText() + "' is unknown; known: " + FaultKind.wireNames());
            }
        }

        double probability = 0;
        JsonNode p = node.get("probability");
        if (p == null || p.isNull()) {
            errors.add(at + ".probability is required (0 to 1)");
        } else if (!p.isNumber() || !(p.doubleValue() >= 0 && p.doubleValue() <= 1)) {
            errors.add(at + ".probability must be a number from 0 to 1");
        } else {
            probability = p.doubleValue();
        }

        Long value = null;
        JsonNode v = node.get("value");
        boolean given = v != null && !v.isNull();
        if (given && !(v.isIntegralNumber() && v.canConvertToLong())) {
            errors.add(at + ".value must be an integer");
        } else if (kind != null) {
            if (kind.value() == FaultKind.Value.NONE && given) {
                errors.add(at + ".value is not allowed for " + kind.wireName());
            } else if (kind.value() == FaultKind.Value.REQUIRED && !given) {
                errors.add(at + ".value is required for " + kind.wireName());
            } else if (given && (v.longValue() < kind.min() || v.longValue() > kind.max())) {
                errors.add(at + ".value for " + kind.wireName() + " must be from " + kind.min() + " to " + kind.max());
            } else if (given) {
                value = v.longValue();
            }
        }
        return errors.size() == before ? new FaultRule(kind, probability, value) : null;
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<String> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(prefix + name + " is not a known field");
            }
        }
    }
}
