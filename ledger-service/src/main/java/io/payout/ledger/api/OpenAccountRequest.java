package io.payout.ledger.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /v1/accounts} as received (strings only; see {@link RequestReader}). Customer ids never contain ':',
 * which is reserved for the system accounts ({@code holds:KRW}…).
 */
public record OpenAccountRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        String id,
        @NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be a 3-letter ISO 4217 code")
        String currency,
        @NotNull @Pattern(regexp = "[\\x21-\\x7E]{1,255}",
                message = "must be the owning client's id: 1-255 visible ASCII characters")
        String owner) {
}
