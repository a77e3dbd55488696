package io.payout.bankadapter.bank;

/**
 * The bank gave no usable answer: timeout, connection refused or reset, 5xx, 429, or a body we cannot read. For a
 * transfer this means "outcome unknown" — the money may or may not have left — never "failed". This is the
 * exception the fault-tolerance policies (retry, circuit breaker) will act on.
 */
public class BankUnavailable extends RuntimeException {
    /** Also the {@code outcome} tag of {@code payout_bank_calls}. */
    public enum Kind { TIMEOUT, CONNECTION, HTTP_5XX, HTTP_429, HTTP_OTHER, UNREADABLE }

    private final Kind kind;

    public BankUnavailable(Kind kind, String message) {
        super(kind + ": " + message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
