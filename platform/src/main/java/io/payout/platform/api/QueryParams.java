package io.payout.platform.api;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;

import java.util.ArrayList;
import java.util.List;

/**
 * Query parameters read as strings, so that a bad one becomes a listed field error (problem+json) rather than a bare
 * 404 from JAX-RS conversion, and every bad parameter of a request is reported at once.
 */
public final class QueryParams {
    /** The page size when none is asked for (capped at the endpoint's maximum). */
    public static final int DEFAULT_PAGE_SIZE = 50;

    private QueryParams() {
    }

    /** A page of a list: {@code page} from 0, {@code size} items. */
    public record PageRequest(int page, int size) {
    }

    /**
     * {@code ?page=&size=} read from their raw strings, so that "ten" is a listed 400 like "-1" (a JAX-RS {@code int}
     * parameter would answer 404 for it): page from 0 and small enough that {@code page * size} cannot overflow, size
     * from 1 to {@code sizeMax}; every bad one listed.
     */
    public static PageRequest page(String pageParam, String sizeParam, int sizeMax) {
        List<FieldError> errors = new ArrayList<>();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / sizeMax);
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, sizeMax), 1, sizeMax);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new PageRequest(page, size);
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
     * A page request already converted by JAX-RS: {@code page} from 0 (without {@code page * size} overflowing),
     * {@code size} from 1 to {@code sizeMax}.
     * Otherwise a 400 problem naming the first bad one.
     */
    public static void checkPage(int page, int size, int sizeMax) {
        boolean pageBad = page < 0 || page > Integer.MAX_VALUE / sizeMax;
        if (pageBad || size < 1 || size > sizeMax) {
            throw ProblemException.validation(List.of(new FieldError(pageBad ? "page" : "size", "OUT_OF_RANGE",
                    "page must be >= 0 and size between 1 and " + sizeMax)));
        }
    }
}
