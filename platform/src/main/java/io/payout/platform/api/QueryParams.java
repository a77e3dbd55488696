package io.payout.platform.api;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;

import java.util.List;

/**
 * Query parameters read as strings, so that a bad one becomes a listed field error (problem+json) rather than a bare
 * 404 from JAX-RS conversion, and every bad parameter of a request is reported at once.
 */
public final class QueryParams {
    private QueryParams() {
    }

    /**
     * An integer from {@code min} to {@code max}; {@code fallback} when absent. Anything else adds an
     * {@code OUT_OF_RANGE} error for {@code name} to {@code errors} and returns {@code fallback}.
     */
    public static int intParam(List<FieldError> errors, String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError(name, "OUT_OF_RANGE", "must be an integer from " + min + " to " + max));
        return fallback;
    }

    /**
     * A page request already converted by JAX-RS: {@code page} from 0, {@code size} from 1 to {@code sizeMax}.
     * Otherwise a 400 problem naming the first bad one.
     */
    public static void checkPage(int page, int size, int sizeMax) {
        if (page < 0 || size < 1 || size > sizeMax) {
            throw ProblemException.validation(List.of(new FieldError(page < 0 ? "page" : "size", "OUT_OF_RANGE",
                    "page must be >= 0 and size between 1 and " + sizeMax)));
        }
    }
}
