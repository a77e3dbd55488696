package io.payout.bankadapter.ref;

import java.time.LocalDate;
import java.util.Locale;

/**
 * One transfer intent as the bank adapter hashes and sends it, every field normalized, so that spelling never
 * changes the {@code external_ref}: trimmed; account number digits only ({@code "1234-5678"} = {@code "12345678"});
 * bank code and currency upper case. {@code sourceAccount} is our ledger's account id, not a bank account number:
 * it is only trimmed (stripping it to digits would fold distinct ids together). Identifiers are case-sensitive.
 */
public record Intent(String clientId, String clientRequestId, String sourceAccount, String bankCode,
                     String accountNumber, long amountMinor, String currency, LocalDate valueDate) {

    public Intent {
        if (isBlank(clientId) || isBlank(clientRequestId) || isBlank(sourceAccount) || isBlank(bankCode)
                || isBlank(accountNumber) || isBlank(currency) || valueDate == null) {
            throw new IllegalArgumentException("every field of a transfer intent is required");
        }
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amount_minor must be positive, got " + amountMinor);
        }
    }

    /** Normalizes, then validates: throws {@link IllegalArgumentException} for an intent the bank cannot take. */
    public static Intent normalized(String clientId, String clientRequestId, String sourceAccount, String bankCode,
                                    String accountNumber, long amountMinor, String currency, LocalDate valueDate) {
        return new Intent(trim(clientId), trim(clientRequestId), trim(sourceAccount), upper(bankCode),
                digits(accountNumber), amountMinor, upper(currency), valueDate);
    }

    static String trim(String s) {
        return s == null ? null : s.strip();
    }

    static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    static String digits(String s) {
        return s == null ? null : s.replaceAll("[^0-9]", "");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
