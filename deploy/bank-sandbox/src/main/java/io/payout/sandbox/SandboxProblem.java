package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem as the sandbox answers it to the newer endpoints (statement paging, statement amendments,
 * forced executions): {@code type}, {@code title}, {@code status}, {@code detail}, a stable {@code code}, and every
 * rejected field at once in {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxProblem(String type, String title, int status, String detail, String code,
                             List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected field or query parameter. */
    public record FieldError(String field, String code, String message) {
    }

    /** "field: message; field: message", for {@code detail}. */
    static String describe(List<FieldError> errors) {
        return String.join("; ", errors.stream().map(e -> (e.field().isEmpty() ? "" : e.field() + ": ")
                + e.message()).toList());
    }

    static Response respond(int status, String slug, String code, String title, String detail,
                            List<FieldError> errors) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new SandboxProblem("urn:payout:sandbox:problem:" + slug, title, status, detail, code,
                        errors == null || errors.isEmpty() ? null : List.copyOf(errors)))
                .build();
    }
}
