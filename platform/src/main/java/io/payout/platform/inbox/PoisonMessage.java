package io.payout.platform.inbox;

/**
 * A message that no number of retries can process (unreadable, unknown type, refers to nothing we know).
 * It still gets the bounded attempts — during a rolling deploy another replica may know a new type — and then
 * goes to the dead-letter queue with this reason.
 */
public class PoisonMessage extends RuntimeException {
    public PoisonMessage(String reason) {
        super(reason, null, false, false);
    }
}
