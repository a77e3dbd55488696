package io.payout.platform.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.outbox.Envelope;

/** Reading a message's payload: what cannot be read never will be, so it is poison, not a retryable failure. */
public final class Payloads {
    private Payloads() {
    }

    public static <T> T read(ObjectMapper mapper, Envelope message, Class<T> type) {
        T value;
        try {
            value = mapper.treeToValue(message.payload(), type);
        } catch (Exception e) {
            throw new PoisonMessage("unreadable " + message.type() + " payload: " + e.getMessage());
        }
        if (value == null) {
            throw new PoisonMessage(message.type() + " without payload");
        }
        return value;
    }
}
