package io.payout.bankadapter.bank;

/**
 * The bank was called and gave no usable answer: timeout, connection refused or reset, 5xx, 429, or a body we cannot
 * read. For a transfer this means "outcome unknown" — the money may or may not have left — never "failed". The
 * circuit breaker counts every one of these as a failure; the retry acts on the {@linkplain #retryable() retryable}
 * ones. (When the bank was <em>not</em> called at all, the failure is {@link BankNotCalled} instead.)
 */
public class BankUnavailable extends RuntimeException {
    /** Also the {@code outcome} tag of {@code payout_bank_calls}. */
    public enum Kind {
        TIMEOUT(true), CONNECTION(true), HTTP_5XX(true), HTTP_429(true),
        /** a 4xx the bank's API does not define (a bare 404, 401, 409…): another try is unlikely to differ */
        HTTP_OTHER(false),
        /** an answer we cannot read: malformed or empty body, HTML, an unknown code or status, another ref */
        UNREADABLE(false);

        private final boolean transientByNature;

        Kind(boolean transientByNature) {
            this.transientByNature = transientByNature;
        }
    }

    private final Kind kind;
    private final String detail;
    private final boolean retryable;

    /** Retryable when transient by nature: timeout, connection, 5xx, 429 — the only ones a transfer is retried on. */
    public BankUnavailable(Kind kind, String detail) {
        this(kind, detail, kind.transientByNature);
    }

    public BankUnavailable(Kind kind, String detail, boolean retryable) {
        super(kind + ": " + detail, null, false, false);
        this.kind = kind;
        this.detail = detail;
        this.retryable = retryable;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether another attempt (same request, same ref) is worth making within this call. */
    public boolean retryable() {
        return retryable;
    }

    /** The same failure, retryable: reads (inquiry, statement) change nothing at the bank, so any failure may be retried. */
    BankUnavailable asRetryable() {
        return retryable ? this : new BankUnavailable(kind, detail, true);
    }
}
