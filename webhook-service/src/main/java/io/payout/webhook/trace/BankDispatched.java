package io.payout.webhook.trace;

import java.util.UUID;

/**
 * bank-adapter's {@code bank.dispatched} event, of which only the reference matters here. Unknown fields are ignored
 * so the producer can add some without a lock-step deploy.
 */
public record BankDispatched(UUID transferId, String externalRef, String outcome) {
    public static final String TYPE = "bank.dispatched";
}
