package io.payout.platform.problem;

/**
 * The problem types shared by every service: status, stable slug (the tail of the {@code type} URN), domain code
 * and title. Services add their own through {@link ProblemException#of(int, String, String, String, String)}.
 */
public enum ProblemType {
    VALIDATION_FAILED(400, "validation-failed", "The request is not valid"),
    MALFORMED_JSON(400, "malformed-json", "The request body is not valid JSON"),
    UNAUTHORIZED(401, "unauthorized", "Authentication is required"),
    TOKEN_EXPIRED(401, "token-expired", "The token has expired"),
    TOKEN_INVALID(401, "token-invalid", "The token is not valid"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    URI_TOO_LONG(414, "uri-too-long", "The request line is too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
    RATE_LIMITED(429, "rate-limited", "Too many requests from this client"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "The request headers are too large"),
    INTERNAL(500, "internal-error", "Internal error"),
    UNAVAILABLE(503, "service-unavailable", "Service unavailable");

    public final int status;
    public final String slug;
    public final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** The domain code: the enum name, e.g. {@code VALIDATION_FAILED}. */
    public String code() {
        return name();
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType t : values()) {
            if (t.status == status) {
                return t;
            }
        }
        return status >= 500 ? INTERNAL : VALIDATION_FAILED;
    }
}
