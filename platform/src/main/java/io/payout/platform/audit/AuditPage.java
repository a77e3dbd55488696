package io.payout.platform.audit;

import java.util.List;

/** One page of the ops audit trail, newest first. */
public record AuditPage(int page, int size, List<AuditEntry> items) {
}
