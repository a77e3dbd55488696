package io.payout.platform.inbox;

import io.payout.platform.outbox.Envelope;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The effect of one message type, run inside the transaction that also records the message in the inbox.
 * Whatever it writes (state, outbox rows) commits together with "this message_id was processed".
 */
@FunctionalInterface
public interface MessageHandler {
    Uni<Void> handle(Mutiny.Session session, Envelope message);
}
