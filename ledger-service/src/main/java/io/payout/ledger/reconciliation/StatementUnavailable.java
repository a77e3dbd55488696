package io.payout.ledger.reconciliation;

/**
 * The statement could not be read: bank-adapter unreachable or too slow, the bank behind it unreachable, our call
 * refused, or an answer that breaks the contract. The run FAILS with {@link #getMessage()}; {@link #status} is what a
 * manual run's POST answers: 503 when trying again shortly may help (nothing answered, or bank-adapter said 503),
 * 502 when something answered wrongly.
 */
public class StatementUnavailable extends RuntimeException {
    private final int status;

    public StatementUnavailable(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
