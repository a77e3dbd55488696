package io.payout.platform.problem;

/**
 * One rejected field of a request: {@code field} is a JSON path into the body (e.g. {@code destination.bank_code})
 * or a header name; {@code code} is stable and machine-readable; {@code message} is for humans.
 */
public record FieldError(String field, String code, String message) {
}
