package io.payout.ledger.commands;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The messages of the ledger as it sees them (docs/reference/messages.md): the saga's commands it consumes on
 * {@code ledger.commands} and the events it answers a hold with. Fields are snake_case on the wire; unknown fields
 * are ignored so producers can add fields without a lock-step deploy. Amounts are integer minor units; boxed so that
 * a missing field is told apart from zero.
 */
public final class LedgerMessages {
    private LedgerMessages() {
    }

    /** Every command names its transfer. */
    public interface TransferCommand {
        UUID transferId();

        Long amountMinor();

        String currency();
    }

    // --- commands consumed (queue ledger.commands) ---

    public record Hold(UUID transferId, String clientId, String sourceAccount, Long amountMinor, String currency)
            implements TransferCommand {
        public static final String TYPE = "ledger.hold";
    }

    /** {@code valueDate}: the transfer's value date; null from producers older than reconciliation (optional). */
    public record Settle(UUID transferId, Long amountMinor, String currency, String externalRef, LocalDate valueDate)
            implements TransferCommand {
        public static final String TYPE = "ledger.settle";
    }

    /** {@code externalRef}: the bank's reference when the transfer was dispatched; null otherwise (optional). */
    public record Release(UUID transferId, Long amountMinor, String currency, String externalRef)
            implements TransferCommand {
        public static final String TYPE = "ledger.release";
    }

    // --- events published (through the outbox) ---

    public record HoldPlaced(UUID transferId) {
        public static final String TYPE = "ledger.hold-placed";
    }

    public record HoldRejected(UUID transferId, String reason) {
        public static final String TYPE = "ledger.hold-rejected";
    }
}
