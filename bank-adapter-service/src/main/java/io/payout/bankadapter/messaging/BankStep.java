package io.payout.bankadapter.messaging;

import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.outbox.Envelope;
import io.smallrye.mutiny.Uni;

/**
 * A command that has to talk to the bank. {@link #prepare} runs first, outside any transaction (no database
 * connection is held while the bank thinks), and returns the effect that then commits in one transaction with the
 * inbox record and the outbox event ({@link MessageHandler}). A failure of {@code prepare} is handled exactly like
 * a failure of the effect: bounded retries, then the dead-letter queue.
 */
@FunctionalInterface
public interface BankStep {
    Uni<MessageHandler> prepare(Envelope message);
}
