package io.payout.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /v2/transfers} body: what the customer's institution asks the bank to pay out.
 * {@code amount} is in integer minor units.
 */
public record TransferOrder(String bankTranId, String sourceAccount, String bankCode, String accountNumber,
                            long amount, String currency) {
    /** Open banking's {@code bank_tran_id}: 10-character institution code, {@code U}, 9 characters unique per day. */
    private static final Pattern BANK_TRAN_ID = Pattern.compile("[A-Z0-9]{20}");
    private static final Pattern BANK_CODE = Pattern.compile("[A-Z0-9]{2,10}");
    private static final Pattern ACCOUNT_NUMBER = Pattern.compile("[0-9]{6,32}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    /** Thrown for a body the bank refuses to look at: answered as {@code 400 INVALID_REQUEST}, nothing recorded. */
    public static class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Validates a parsed body strictly (types included: an amount must be a JSON integer), listing every problem. */
    public static TransferOrder read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Invalid("the body must be a JSON object");
        }
        List<String> problems = new ArrayList<>();
        String ref = text(body, "bank_tran_id", BANK_TRAN_ID, "20 characters A-Z 0-9", problems);
        String source = text(body, "source_account", null, null, problems);
        String bankCode = text(body, "bank_code", BANK_CODE, "2-10 characters A-Z 0-9", problems);
        String account = text(body, "account_number", ACCOUNT_NUMBER, "6-32 digits", problems);
        String currency = text(body, "currency", CURRENCY, "3 upper-case letters (ISO 4217)", problems);
        JsonNode amount = body.get("amount");
        long amountMinor = 0;
        if (amount == null || amount.isNull()) {
            problems.add("amount is required");
        } else if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            problems.add("amount must be an integer number of minor units");
        } else if (amount.longValue() <= 0) {
            problems.add("amount must be positive");
        } else {
            amountMinor = amount.longValue();
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("; ", problems));
        }
        return new TransferOrder(ref, source, bankCode, account, amountMinor, currency);
    }

    private static String text(JsonNode body, String field, Pattern pattern, String rule, List<String> problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            problems.add(field + " is required");
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(field + " must be a non-blank string");
            return null;
        }
        String value = node.asText();
        if (pattern != null && !pattern.matcher(value).matches()) {
            problems.add(field + " must be " + rule);
            return null;
        }
        return value;
    }
}
