package io.payout.platform.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.problem.Problem;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.payout.platform.tracing.TraceIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * Refuses, before the body is read and before authentication, a request whose request target (414), headers in
 * total (431) or declared {@code Content-Length} (413) exceed {@link RequestLimitsConfig}: problem+json with a stable
 * code and the trace id, like every other refusal. A body sent without a length (chunked) is bounded by the endpoint
 * that reads it ({@code body-size-max-bytes}) and, beyond {@code quarkus.http.limits.max-body-size}, by the transport.
 */
@ApplicationScoped
public class RequestLimits {
    /** Before every other route of the application (REST endpoints, health, metrics, Swagger UI). */
    static final int ORDER = Integer.MIN_VALUE + 100;

    private final RequestLimitsConfig limits;
    private final ObjectMapper json;
    private final Event<RequestRefused> refusals;

    public RequestLimits(RequestLimitsConfig limits, ObjectMapper json, Event<RequestRefused> refusals) {
        this.limits = limits;
        this.json = json;
        this.refusals = refusals;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        int uriLength = request.uri().length();
        if (uriLength > limits.uriLengthMaxBytes()) {
            refuse(ctx, ProblemType.URI_TOO_LONG, "The request target has " + uriLength + " characters; at most "
                    + limits.uriLengthMaxBytes() + " are accepted");
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length();
        }
        if (headerBytes > limits.headersSizeMaxBytes()) {
            refuse(ctx, ProblemType.HEADERS_TOO_LARGE, "The headers have " + headerBytes + " bytes; at most "
                    + limits.headersSizeMaxBytes() + " are accepted");
            return;
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declaredTooLarge(declared)) {
            refuse(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The body has " + declared.strip() + " bytes; at most "
                    + limits.bodySizeMaxBytes() + " are accepted");
            return;
        }
        ctx.next();
    }

    private boolean declaredTooLarge(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > limits.bodySizeMaxBytes();
        } catch (NumberFormatException e) {
            return false; // a malformed length is the HTTP codec's to refuse
        }
    }

    private void refuse(RoutingContext ctx, ProblemType type, String detail) {
        Problem problem = ProblemException.of(type, detail).toProblem(TraceIds.currentTraceId());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        refusals.fire(new RequestRefused(ctx.request().path(), type));
        // the unread body (or what follows an oversized head) must not be parsed as the next request: close
        ctx.response().setStatusCode(type.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }
}
