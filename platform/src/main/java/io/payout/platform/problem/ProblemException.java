package io.payout.platform.problem;

import java.util.List;

/** Thrown anywhere to answer with a problem+json response; nothing about it is logged as an error. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String slug;
    private final String code;
    private final String title;
    private final List<FieldError> errors;

    private ProblemException(int status, String slug, String code, String title, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.code = code;
        this.title = title;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static ProblemException of(ProblemType type, String detail) {
        return new ProblemException(type.status, type.slug, type.code(), type.title, detail, null);
    }

    public static ProblemException of(int status, String slug, String code, String title, String detail) {
        return new ProblemException(status, slug, code, title, detail, null);
    }

    public static ProblemException validation(List<FieldError> errors) {
        var t = ProblemType.VALIDATION_FAILED;
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new ProblemException(t.status, t.slug, t.code(), t.title, detail, errors);
    }

    /**
     * Field errors answered with another status than 400 and a stable code of their own, e.g. 422 for a well-formed
     * ops request whose fields break the action's rules.
     */
    public static ProblemException fieldErrors(int status, String slug, String code, String title,
                                               List<FieldError> errors) {
        String detail = errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid";
        return new ProblemException(status, slug, code, title, detail, errors);
    }

    public Problem toProblem(String traceId) {
        return new Problem(Problem.typeUri(slug), title, status, getMessage(), code, traceId, errors);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
