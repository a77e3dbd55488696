package io.payout.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** Quarkus uses a {@link Sampler} bean instead of {@code quarkus.otel.traces.sampler}. */
@ApplicationScoped
public class TraceSampler {
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");

    @Produces
    @Singleton
    Sampler sampler() {
        return new DropParentlessSql(Sampler.parentBased(Sampler.alwaysOn()));
    }

    /**
     * Parent-based always-on, except for SQL spans with no parent: the outbox relay, the sweepers and the wait loops
     * poll the database every second or so outside any request, and each poll would be a one-span trace burying the
     * transfers' traces in the viewer. SQL inside a request or a consumer has a parent and is kept.
     */
    static final class DropParentlessSql implements Sampler {
        private final Sampler delegate;

        DropParentlessSql(Sampler delegate) {
            this.delegate = delegate;
        }

        @Override
        public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
                                           Attributes attributes, List<LinkData> links) {
            if (kind == SpanKind.CLIENT && attributes.get(DB_SYSTEM) != null
                    && !Span.fromContext(parent).getSpanContext().isValid()) {
                return SamplingResult.drop();
            }
            return delegate.shouldSample(parent, traceId, name, kind, attributes, links);
        }

        @Override
        public String getDescription() {
            return "DropParentlessSql{" + delegate.getDescription() + "}";
        }
    }
}
