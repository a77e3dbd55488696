package io.payout.webhook.verify;

import java.time.Instant;

/** What a successful verification established: the bank's message id and when the bank signed it. */
public record VerifiedWebhook(String webhookId, Instant signedAt) {
}
