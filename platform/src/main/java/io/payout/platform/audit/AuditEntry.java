package io.payout.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** One row of the ops audit trail as the API shows it. */
public record AuditEntry(UUID id, Instant at, String actor, String action, String target, String reason,
                         JsonNode details, String traceId) {
}
