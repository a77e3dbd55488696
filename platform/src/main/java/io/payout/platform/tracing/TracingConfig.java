package io.payout.platform.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where spans go, under {@code payout.tracing}. OTLP ({@code quarkus.otel.exporter.otlp.*}) is the exporter
 * everywhere except where {@code zipkin.enabled} is true: the local profile, which sends to the Zipkin server
 * that deploy/local/up.sh starts (Zipkin does not ingest OTLP).
 */
@ConfigMapping(prefix = "payout.tracing")
public interface TracingConfig {
    Zipkin zipkin();

    interface Zipkin {
        /** Read at bean lookup by {@link ZipkinExporter} ({@code @LookupIfProperty}), so a runtime profile may set it. */
        String ENABLED = "payout.tracing.zipkin.enabled";

        @WithDefault("false")
        boolean enabled();

        /** Zipkin's v2 JSON ingest endpoint. */
        @WithDefault("http://127.0.0.1:9411/api/v2/spans")
        String endpoint();
    }
}
