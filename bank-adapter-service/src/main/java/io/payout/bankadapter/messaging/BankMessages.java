package io.payout.bankadapter.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.inbox.Payloads;
import io.payout.platform.outbox.Envelope;

import java.time.LocalDate;
import java.util.UUID;

/**
 * The messages of bank-adapter-service (docs/reference/messages.md): the commands it consumes on
 * {@code bank-adapter.commands} and the events it publishes through its outbox. snake_case on the wire; unknown
 * fields are ignored so producers can add fields without a lock-step deploy.
 */
public final class BankMessages {
    private BankMessages() {
    }

    // --- consumed ---

    public record BankDispatch(UUID transferId, String clientId, String clientRequestId, String sourceAccount,
                               String bankCode, String accountNumber, Long amountMinor, String currency,
                               LocalDate valueDate) {
        public static final String TYPE = "bank.dispatch";
    }

    /** {@code externalRef} may be null: the adapter knows it from its dispatch row. */
    public record BankInquiry(UUID transferId, String externalRef) {
        public static final String TYPE = "bank.inquiry";
    }

    /** A bank webhook, verified and deduplicated by webhook-service. */
    public record WebhookBankResult(String eventId, String bankTranId, String status, Long amount, String currency,
                                    String reason) {
        public static final String TYPE = "webhook.bank-result";
    }

    // --- published ---

    /** outcome: ACCEPTED (the bank took it) or UNKNOWN (timeout, reset, 5xx, 429: an inquiry will tell). */
    public record BankDispatched(UUID transferId, String externalRef, String outcome) {
        public static final String TYPE = "bank.dispatched";
    }

    /** outcome: SUCCEEDED or FAILED; source: RESPONSE, INQUIRY or WEBHOOK; reason: the bank's code, for FAILED. */
    public record BankResult(UUID transferId, String externalRef, String outcome, String source, String reason) {
        public static final String TYPE = "bank.result";
    }

    /** The bank knows our ref with another order than our intent: never a success; ops must look. */
    public record BankCollision(UUID transferId, String externalRef, String detail) {
        public static final String TYPE = "bank.collision";
    }

    /** Reads a payload; a payload that cannot be read never will be, so it is a poison message. */
    public static <T> T read(ObjectMapper mapper, Envelope m, Class<T> type) {
        return Payloads.read(mapper, m, type);
    }
}
