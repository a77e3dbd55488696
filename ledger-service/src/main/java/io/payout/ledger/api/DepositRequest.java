package io.payout.ledger.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** {@code POST /v1/accounts/{id}/deposits} as received; the amount's scale is checked against the account's currency. */
public record DepositRequest(
        @NotNull @Pattern(regexp = "(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?",
                message = "must be a plain positive decimal string such as \"100000\" or \"12.50\"")
        String amount,
        @NotNull @Pattern(regexp = "[\\x21-\\x7E]{1,128}",
                message = "must be 1-128 visible ASCII characters, unique per deposit")
        String reference) {
}
