package io.payout.platform.problem;

import jakarta.validation.ConstraintViolation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** Turns Hibernate Validator violations into {@link FieldError}s named as on the wire (snake_case JSON paths). */
public final class Violations {
    /** Constraint annotation → stable field-error code. */
    private static final Map<String, String> CODES = Map.of(
            "NotNull", "REQUIRED",
            "NotBlank", "REQUIRED",
            "NotEmpty", "REQUIRED",
            "Pattern", "INVALID_FORMAT",
            "Size", "INVALID_LENGTH",
            "Min", "TOO_SMALL",
            "Max", "TOO_LARGE",
            "Positive", "TOO_SMALL",
            "Email", "INVALID_FORMAT");

    private Violations() {
    }

    public static FieldError toFieldError(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // method-parameter paths look like "create.arg0.amount": keep the bean part
        String[] parts = path.split("\\.");
        if (v.getExecutableParameters() != null && parts.length > 2) {
            parts = Arrays.copyOfRange(parts, 2, parts.length);
        }
        String field = String.join(".", Arrays.stream(parts).map(Violations::snake).toList());
        String constraint = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        String code = CODES.getOrDefault(constraint, constraint.toUpperCase(Locale.ROOT));
        return new FieldError(field, code, v.getMessage());
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
