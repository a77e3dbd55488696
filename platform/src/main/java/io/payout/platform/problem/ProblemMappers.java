package io.payout.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.payout.platform.auth.TokenRefusals;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;

/**
 * Every error leaves every service as RFC 9457 problem+json with a stable code and the trace id.
 * Authentication failures reach these mappers because proactive authentication is off in every service.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response respond(ProblemException e) {
        return Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(e.toProblem(TraceIds.currentTraceId()))
                .build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .map(Violations::toFieldError)
                .toList();
        return respond(ProblemException.validation(errors));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(ProblemException.of(ProblemType.MALFORMED_JSON, "The body could not be parsed as JSON"));
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized(RuntimeException e) {
        return Response.fromResponse(respond(TokenRefusals.of(e)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(ProblemException.of(ProblemType.FORBIDDEN, "The token does not grant this action"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed (trace_id=%s)", TraceIds.currentTraceId());
        }
        ProblemType type = ProblemType.forStatus(status);
        ProblemException p = ProblemException.of(status, type.slug, type.code(), type.title,
                status >= 500 ? type.title : e.getMessage());
        Response.ResponseBuilder b = Response.fromResponse(respond(p));
        // keep protocol headers such as Allow (405) or Retry-After
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !k.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                v.forEach(val -> b.header(k, val));
            }
        });
        return b.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "unexpected failure (trace_id=%s)", TraceIds.currentTraceId());
        return respond(ProblemException.of(ProblemType.INTERNAL,
                "An unexpected error occurred; quote the trace_id when reporting it"));
    }
}
