package io.payout.transfer.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The POST body as received (strings only; see {@link TransferRequestReader}). The format rules live here as
 * constraints; rules that need the currency or config (amount scale and maximum, memo length) live in the reader.
 */
public record TransferRequest(
        @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}",
                message = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        String sourceAccount,
        @NotNull @Valid
        Destination destination,
        @NotNull @Pattern(regexp = "(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?",
                message = "must be a plain positive decimal string such as \"15000\" or \"12.50\"")
        String amount,
        @NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be a 3-letter ISO 4217 code")
        String currency,
        String memo) {

    public record Destination(
            @NotNull @Pattern(regexp = "[0-9]{3}", message = "must be a 3-digit bank code")
            String bankCode,
            @NotNull @Pattern(regexp = "[0-9][0-9 -]{0,38}[0-9]",
                    message = "must be digits, optionally grouped with '-' or spaces")
            String accountNumber) {
    }
}
