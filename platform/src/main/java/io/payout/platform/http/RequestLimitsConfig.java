package io.payout.platform.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;

/**
 * What a request may declare before anything of it is read, under {@code payout.http}. Each limit sits below the
 * matching transport cap ({@code quarkus.http.limits.*}), so that these answer with problem+json and the transport
 * caps only catch what cannot be seen up front (docs/reference/configuration.md).
 */
@ConfigMapping(prefix = "payout.http")
public interface RequestLimitsConfig {
    /**
     * Largest declared {@code Content-Length}: the service's largest endpoint body (each service sets it to its own
     * {@code payout.<service>.body-size-max-bytes}, which its endpoints also apply to bodies sent without a length).
     */
    @WithDefault("16384")
    @Positive
    long bodySizeMaxBytes();

    /** Largest sum of header names and values (cookies and bearer tokens included). */
    @WithDefault("16384")
    @Positive
    int headersSizeMaxBytes();

    /** Longest request target (path and query string). */
    @WithDefault("4096")
    @Positive
    int uriLengthMaxBytes();
}
