package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A bank that misreports on its statement, for reconciliation tests: per {@code bank_tran_id}, every statement line
 * of that ref shows another amount, or is left out. Only the statement lies: the book, {@code /sandbox/executions},
 * inquiries and webhooks keep telling the truth. An amendment may name a ref the bank has not seen yet; it applies
 * from the first line of that ref on. Kept until {@code DELETE /sandbox/statement-amendments}; resetting the book
 * does not clear them (like the fault script).
 */
@ApplicationScoped
public class StatementAmendments {
    private static final Pattern BANK_TRAN_ID = Pattern.compile("[A-Z0-9]{20}");
    private static final Set<String> FIELDS = Set.of("bank_tran_id", "amount", "omit");

    /** One amendment: {@code amount} replaces the lines' amount, or {@code omit} leaves them out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Amendment(String bankTranId, Long amount, Boolean omit) {
        boolean omits() {
            return Boolean.TRUE.equals(omit);
        }
    }

    /** An amendment that could not be read; every field error at once. */
    public static class Invalid extends RuntimeException {
        private final List<SandboxProblem.FieldError> errors;

        Invalid(List<SandboxProblem.FieldError> errors) {
            super(errors.size() + " field(s) invalid", null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<SandboxProblem.FieldError> errors() {
            return errors;
        }
    }

    private final Map<String, Amendment> byRef = new ConcurrentHashMap<>();

    /**
     * Reads {@code {"bank_tran_id": "...", "amount": 12345}} or {@code {"bank_tran_id": "...", "omit": true}}
     * strictly: unknown fields, both or neither of amount and omit, a non-positive or non-integer amount and
     * {@code omit} other than {@code true} are all refused.
     */
    public static Amendment read(JsonNode body) {
        List<SandboxProblem.FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of(new SandboxProblem.FieldError("", "NOT_AN_OBJECT",
                    "the body must be a JSON object {\"bank_tran_id\": ..., \"amount\": ...} or {..., \"omit\": true}")));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                errors.add(new SandboxProblem.FieldError(name, "UNKNOWN_FIELD", "is not a field of an amendment"));
            }
        }
        String ref = null;
        JsonNode refNode = body.get("bank_tran_id");
        if (refNode == null || refNode.isNull()) {
            errors.add(new SandboxProblem.FieldError("bank_tran_id", "REQUIRED", "is required"));
        } else if (!refNode.isTextual() || !BANK_TRAN_ID.matcher(refNode.asText()).matches()) {
            errors.add(new SandboxProblem.FieldError("bank_tran_id", "INVALID_FORMAT", "must be 20 characters A-Z 0-9"));
        } else {
            ref = refNode.asText();
        }
        JsonNode amountNode = body.get("amount");
        JsonNode omitNode = body.get("omit");
        boolean hasAmount = amountNode != null && !amountNode.isNull();
        boolean hasOmit = omitNode != null && !omitNode.isNull();
        Long amount = null;
        if (hasAmount == hasOmit) {
            errors.add(new SandboxProblem.FieldError("amount", "ONE_OF_AMOUNT_OR_OMIT",
                    "give exactly one of amount (the amount the line shows instead) or omit: true"));
        }
        if (hasAmount) {
            if (!amountNode.isIntegralNumber() || !amountNode.canConvertToLong() || amountNode.longValue() <= 0) {
                errors.add(new SandboxProblem.FieldError("amount", "INVALID_AMOUNT",
                        "must be a positive integer number of minor units"));
            } else {
                amount = amountNode.longValue();
            }
        }
        if (hasOmit && !(omitNode.isBoolean() && omitNode.booleanValue())) {
            errors.add(new SandboxProblem.FieldError("omit", "INVALID_OMIT", "must be true (leave it out otherwise)"));
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return hasOmit ? new Amendment(ref, null, true) : new Amendment(ref, amount, null);
    }

    /** Installs an amendment, replacing an earlier one of the same ref. */
    public void put(Amendment amendment) {
        byRef.put(amendment.bankTranId(), amendment);
    }

    public List<Amendment> list() {
        return byRef.values().stream().sorted(Comparator.comparing(Amendment::bankTranId)).toList();
    }

    public void clear() {
        byRef.clear();
    }

    /** Whether any amendment omits lines: then a page cannot be cut straight out of the journal. */
    boolean omitsAny() {
        return byRef.values().stream().anyMatch(Amendment::omits);
    }

    /** The line as the statement shows it: amended, or empty when omitted. */
    Optional<BankResource.StatementLine> apply(Executions.Line line) {
        Amendment a = byRef.get(line.bankTranId());
        if (a != null && a.omits()) {
            return Optional.empty();
        }
        Withdrawal w = line.withdrawal();
        long amount = a != null && a.amount() != null ? a.amount() : w.amount();
        return Optional.of(new BankResource.StatementLine(line.bankTranId(), amount, w.currency(), w.executedAt()));
    }
}
