package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A dispatch as the adapter knows it (its row in {@code dispatches}), for ops: the ref, where it stands, what the
 * bank last said and how often it was called. Inquiries are not counted per dispatch (the table has no column for
 * them); {@code last_answer} holds the latest answer, whether to a call or to an inquiry.
 *
 * @param status         CALLING, WAITING, ACCEPTED, UNKNOWN, then final: SUCCEEDED, FAILED, COLLISION
 * @param outcome        the classification of the bank's latest answer (ACCEPTED, UNKNOWN, PROCESSING, …)
 * @param calls          bank transfer calls made with this ref (a redelivery or a resend adds one, same ref)
 * @param waits          times the bank could not be called (breaker open, bulkhead full)
 * @param request        what was (or will be) sent to the bank
 * @param nextAttemptAt  for a WAITING dispatch: when the retry loop calls the bank
 */
public record DispatchView(UUID transferId, String externalRef, String status, String outcome, String reason,
                           int calls, Instant lastCallAt, int waits, Instant nextAttemptAt, String collisionDetail,
                           JsonNode lastAnswer, JsonNode request, Instant createdAt, Instant updatedAt) {
    static DispatchView of(Dispatch d) {
        return new DispatchView(d.transferId, d.externalRef, d.status, d.outcome, d.reason, d.calls, d.lastCallAt,
                d.waits, d.nextAttemptAt, d.collisionDetail, d.lastAnswer, d.request, d.createdAt, d.updatedAt);
    }
}
