package io.payout.platform.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The ops audit trail, under {@code payout.audit}; the same keys in every service. */
@ConfigMapping(prefix = "payout.audit")
public interface AuditConfig {
    /** The largest page of {@code GET /v1/ops/audit}. */
    @WithDefault("200")
    int pageSizeMax();
}
