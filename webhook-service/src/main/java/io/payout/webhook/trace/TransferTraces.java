package io.payout.webhook.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.payout.platform.tracing.TraceIds;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Supplier;

/**
 * Puts a bank webhook's work into the trace of the transfer it is about. The webhook is a new request from the bank
 * (the bank propagates none of our context), so its own HTTP span starts a trace of its own. When the transfer's
 * {@code bank.dispatched} has been seen ({@link DispatchTraces}), storing the event and writing the forwarded message
 * run in a span whose parent is the transfer's trace and which links to the request's span: the outbox row keeps
 * that context, so {@code webhook.bank-result} and everything downstream continue the transfer's trace. When it has
 * not been seen yet (the webhook raced ahead of our own event), the request keeps its own trace and is only tagged
 * with the reference, so it can still be found.
 */
@ApplicationScoped
public class TransferTraces {
    /** On the webhook request's span: the bank's reference (our external_ref), searchable in the trace viewer. */
    public static final AttributeKey<String> EXTERNAL_REF = AttributeKey.stringKey("payout.external_ref");
    /** On the webhook request's span: the transfer trace its work went into (Zipkin does not show span links). */
    public static final AttributeKey<String> TRANSFER_TRACE_ID = AttributeKey.stringKey("payout.transfer_trace_id");
    /** On the span in the transfer's trace: the trace of the bank's request. */
    public static final AttributeKey<String> WEBHOOK_TRACE_ID = AttributeKey.stringKey("payout.webhook_trace_id");
    public static final String SPAN_NAME = "webhook store";

    private final DispatchTraces dispatches;
    private final Tracer tracer;

    public TransferTraces(DispatchTraces dispatches, Tracer tracer) {
        this.dispatches = dispatches;
        this.tracer = tracer;
    }

    /** Runs {@code work} in the trace of the transfer known by {@code externalRef} (null: no transfer, as is). */
    public <T> Uni<T> within(String externalRef, Supplier<Uni<T>> work) {
        if (externalRef == null) {
            return work.get();
        }
        Span request = Span.current();
        request.setAttribute(EXTERNAL_REF, externalRef);
        return dispatches.traceparentOf(externalRef).flatMap(stored -> {
            SpanContext transfer = stored.map(tp -> Span.fromContext(TraceIds.contextOf(tp)).getSpanContext())
                    .filter(SpanContext::isValid)
                    .orElse(null);
            if (transfer == null) {
                return work.get();
            }
            request.setAttribute(TRANSFER_TRACE_ID, transfer.getTraceId());
            SpanContext requestContext = request.getSpanContext();
            var builder = tracer.spanBuilder(SPAN_NAME)
                    .setParent(Context.root().with(Span.wrap(transfer)))
                    .setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(EXTERNAL_REF, externalRef);
            if (requestContext.isValid()) {
                builder.addLink(requestContext).setAttribute(WEBHOOK_TRACE_ID, requestContext.getTraceId());
            }
            Span span = builder.startSpan();
            return inScope(span, work);
        });
    }

    /**
     * The span stays current for the whole asynchronous work: Quarkus keeps the current context on the request's
     * Vert.x context, where the work's callbacks (SQL, the outbox append) run and read it.
     */
    private static <T> Uni<T> inScope(Span span, Supplier<Uni<T>> work) {
        Scope scope = span.makeCurrent();
        Uni<T> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            scope.close();
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            span.end();
            throw e;
        }
        return started
                .onFailure().invoke(e -> {
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR);
                })
                .onTermination().invoke(() -> {
                    scope.close();
                    span.end();
                });
    }
}
