package io.payout.transfer.saga;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The messages of the saga as transfer-service sees them (docs/reference/messages.md). Events it consumes and the
 * commands it sends; unknown fields are ignored so producers can add fields without a lock-step deploy.
 */
public final class SagaMessages {
    private SagaMessages() {
    }

    /** Every event the saga consumes names its transfer. */
    public interface TransferEventMessage {
        UUID transferId();
    }

    // --- events consumed (queue transfer.events) ---

    public record HoldPlaced(UUID transferId) implements TransferEventMessage {
        public static final String TYPE = "ledger.hold-placed";
    }

    public record HoldRejected(UUID transferId, String reason) implements TransferEventMessage {
        public static final String TYPE = "ledger.hold-rejected";
    }

    /** outcome: ACCEPTED (bank took it) or UNKNOWN (timeout, reset, 5xx: the inquiry will tell). */
    public record BankDispatched(UUID transferId, String externalRef, String outcome) implements TransferEventMessage {
        public static final String TYPE = "bank.dispatched";
    }

    /** outcome: SUCCEEDED or FAILED; source: RESPONSE, INQUIRY or WEBHOOK. */
    public record BankResult(UUID transferId, String externalRef, String outcome, String source, String reason) implements TransferEventMessage {
        public static final String TYPE = "bank.result";
    }

    /** The bank answered "duplicate" for our ref, but its original differs from our intent. */
    public record BankCollision(UUID transferId, String externalRef, String detail) implements TransferEventMessage {
        public static final String TYPE = "bank.collision";
    }

    // --- commands sent (through the outbox) ---

    public record BankDispatch(UUID transferId, String clientId, String clientRequestId, String sourceAccount,
                               String bankCode, String accountNumber, long amountMinor, String currency,
                               LocalDate valueDate) {
        public static final String TYPE = "bank.dispatch";
    }

    public record BankInquiry(UUID transferId, String externalRef) {
        public static final String TYPE = "bank.inquiry";
    }

    /** {@code valueDate}: which day's bank statement the ledger's reconciliation expects this settle on. */
    public record LedgerSettle(UUID transferId, long amountMinor, String currency, String externalRef,
                               LocalDate valueDate) {
        public static final String TYPE = "ledger.settle";
    }

    /** {@code externalRef}: set once the transfer was dispatched (null otherwise), so the ledger can name it. */
    public record LedgerRelease(UUID transferId, long amountMinor, String currency, String externalRef) {
        public static final String TYPE = "ledger.release";
    }
}
