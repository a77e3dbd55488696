package io.payout.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * RFC 9457 problem details, extended with a stable domain {@code code}, the {@code trace_id} of the request
 * and, for validation failures, every field error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String code,
        @JsonProperty("trace_id") String traceId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are stable URNs; docs/reference/api.md lists them. */
    public static String typeUri(String slug) {
        return "urn:payout:problem:" + slug;
    }
}
