package io.payout.bankadapter.bank;

/**
 * The bank was <em>not</em> called: the circuit breaker is open (or half-open and busy with its trial calls), or the
 * bulkhead had no free slot. Nothing happened at the bank, so this is neither a failure nor an unknown outcome:
 * a dispatch waits and is tried again later, an inquiry is simply asked again later.
 */
public class BankNotCalled extends RuntimeException {
    public enum Reason {
        CIRCUIT_OPEN("circuit_open"), BULKHEAD_FULL("bulkhead_full");

        /** The {@code reason} tag of {@code payout_bank_calls_rejected}. */
        public final String tag;

        Reason(String tag) {
            this.tag = tag;
        }
    }

    private final Reason reason;

    public BankNotCalled(Reason reason, String detail) {
        super(reason + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
