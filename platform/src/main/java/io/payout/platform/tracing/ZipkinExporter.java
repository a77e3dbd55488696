package io.payout.platform.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The local trace viewer's exporter. Quarkus exports through every {@link SpanExporter} bean
 * ({@code quarkus.otel.traces.exporter=cdi}), and in 3.34 a resolvable one also switches the OTLP exporter off.
 * The condition is a lookup-time property, not a build profile, because up.sh runs the prod-built jar with
 * {@code -Dquarkus.profile=local}: Zipkin there, OTLP (Kubernetes) everywhere else.
 */
@ApplicationScoped
public class ZipkinExporter {
    @Produces
    @Singleton
    @LookupIfProperty(name = TracingConfig.Zipkin.ENABLED, stringValue = "true")
    SpanExporter zipkin(TracingConfig config) {
        return ZipkinSpanExporter.builder().setEndpoint(config.zipkin().endpoint()).build();
    }
}
