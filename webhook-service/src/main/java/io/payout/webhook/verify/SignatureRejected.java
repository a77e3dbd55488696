package io.payout.webhook.verify;

/**
 * A webhook whose origin could not be established. Every reason means the same to the sender (401: we did not
 * believe it came from you); they are told apart so the bank, and our rejection metrics, can see which check failed.
 */
public final class SignatureRejected extends Exception {
    public enum Reason {
        /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} absent or empty. */
        SIGNATURE_MISSING,
        /** {@code webhook-timestamp} is not whole seconds since the epoch. */
        TIMESTAMP_INVALID,
        /** Signed too long ago (a replay) or too far in the future (a skewed or forged clock). */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1} signature in the header matches any configured secret over these exact bytes. */
        SIGNATURE_INVALID
    }

    private final Reason reason;

    public SignatureRejected(Reason reason, String detail) {
        // no stack trace: this is an expected outcome on a hot, attacker-reachable path, not a bug
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
