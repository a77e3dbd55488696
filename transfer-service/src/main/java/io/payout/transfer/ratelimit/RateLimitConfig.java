package io.payout.transfer.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;

/**
 * Per-client limit on {@code POST /v1/transfers}, under {@code payout.transfer.rate-limit}. Per instance: the
 * cluster-wide budget of a client is these numbers times the replicas (docs/operating/README.md "Keys and rate limits").
 */
@ConfigMapping(prefix = "payout.transfer.rate-limit")
public interface RateLimitConfig {
    @WithDefault("true")
    boolean enabled();

    /** Sustained rate one client may create (or replay) transfers at, per instance. */
    @WithDefault("50")
    @Positive
    double requestsPerSecond();

    /** Requests one client may send at once after being idle (the bucket's capacity). */
    @WithDefault("100")
    @Positive
    int burst();

    /**
     * Clients whose bucket is kept; beyond that the least recently seen one is forgotten (and starts again with a
     * full bucket). Bounds memory whatever the number of distinct token subjects.
     */
    @WithDefault("100000")
    @Positive
    int clientsMax();
}
