package io.payout.bankadapter.outcome;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A bank answer, classified: what it means for the transfer, and what the dispatch row and the saga are told.
 *
 * @param kind    the meaning
 * @param source  for SUCCEEDED/FAILED: RESPONSE, INQUIRY or WEBHOOK
 * @param reason  for FAILED: the bank's code (e.g. INVALID_ACCOUNT)
 * @param detail  for COLLISION: what differs; for UNKNOWN and WAITING: why
 * @param outcome the dispatch row's {@code outcome}: the label of this answer
 * @param answer  the bank's answer as JSON, kept on the dispatch row (null: keep the previous one)
 */
public record Verdict(Kind kind, String source, String reason, String detail, String outcome, JsonNode answer) {
    public enum Kind {
        /** the bank took it; the result follows → {@code bank.dispatched ACCEPTED} */
        ACCEPTED,
        /** no usable answer: the money may or may not have left → {@code bank.dispatched UNKNOWN}, never FAILED */
        UNKNOWN,
        /** → {@code bank.result SUCCEEDED} */
        SUCCEEDED,
        /** → {@code bank.result FAILED} */
        FAILED,
        /** the bank's order under our ref is not our intent → {@code bank.collision} */
        COLLISION,
        /** nothing to report yet (inquiry says PROCESSING, or NOT_FOUND while a call may be in flight) */
        PENDING,
        /**
         * the bank was not called (circuit breaker open, bulkhead full): nothing happened there, so nothing is
         * reported; the dispatch row waits ({@code WAITING}) and the retry loop sends it later
         */
        WAITING
    }

    public static final String RESPONSE = "RESPONSE";
    public static final String INQUIRY = "INQUIRY";
    public static final String WEBHOOK = "WEBHOOK";
    /** The inquiry's verdict when the bank has no trace of a ref we called long enough ago. */
    public static final String NOT_FOUND_AT_BANK = "NOT_FOUND_AT_BANK";

    public static Verdict accepted(JsonNode answer) {
        return new Verdict(Kind.ACCEPTED, null, null, null, "ACCEPTED", answer);
    }

    public static Verdict unknown(String why, JsonNode answer) {
        return new Verdict(Kind.UNKNOWN, null, null, why, "UNKNOWN", answer);
    }

    public static Verdict succeeded(String source, JsonNode answer) {
        return new Verdict(Kind.SUCCEEDED, source, null, null, "SUCCEEDED", answer);
    }

    public static Verdict failed(String source, String reason, JsonNode answer) {
        return new Verdict(Kind.FAILED, source, reason, null, "FAILED", answer);
    }

    public static Verdict collision(String detail, JsonNode answer) {
        return new Verdict(Kind.COLLISION, null, null, detail, "COLLISION", answer);
    }

    public static Verdict pending(String outcome, JsonNode answer) {
        return new Verdict(Kind.PENDING, null, null, null, outcome, answer);
    }

    /** The bank has no trace of our call: send it again (same ref) through the retry loop. */
    public static Verdict resend(JsonNode answer) {
        return new Verdict(Kind.WAITING, INQUIRY, null, "not found at the bank: sending again", NOT_FOUND_AT_BANK,
                answer);
    }

    public boolean isResend() {
        return kind == Kind.WAITING && INQUIRY.equals(source);
    }

    /** {@code why}: CIRCUIT_OPEN or BULKHEAD_FULL, the row's outcome; {@code answer} says why there was no call. */
    public static Verdict waiting(String why, String detail, JsonNode answer) {
        return new Verdict(Kind.WAITING, null, null, detail, why, answer);
    }

    /**
     * The dispatch status this verdict moves the row to, or null to keep it. A webhook's FAILED keeps it: a webhook
     * is a notification, not proof (the saga confirms it by inquiry), and a final FAILED row never calls the bank
     * again, so only the bank's own answer or an inquiry may make it final.
     */
    public String status() {
        return switch (kind) {
            case ACCEPTED -> "ACCEPTED";
            case UNKNOWN -> "UNKNOWN";
            case SUCCEEDED -> "SUCCEEDED";
            case FAILED -> WEBHOOK.equals(source) ? null : "FAILED";
            case COLLISION -> "COLLISION";
            case PENDING -> null;
            case WAITING -> "WAITING";
        };
    }
}
