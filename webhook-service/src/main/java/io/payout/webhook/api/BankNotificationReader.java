package io.payout.webhook.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payout.platform.api.JsonBody;
import io.payout.platform.api.Text;
import io.payout.platform.problem.ProblemException;
import io.payout.webhook.event.BankResult;

import java.util.regex.Pattern;

/**
 * Reads the bank's (already authenticated) body:
 * {@code {"type":"transfer.result","data":{"bank_tran_id","status","amount","currency","reason"}}}.
 * <p>
 * Strict about what we act on and what we store (types, formats, no characters PostgreSQL cannot hold), tolerant of
 * the rest: unknown fields are ignored, since the bank may add some and the raw body is kept anyway. Every error is
 * listed at once. A well-formed notification of another {@code type} is not an error: it is stored and answered 2xx
 * (a 4xx would make the bank retry it forever, or disable the endpoint) but not forwarded.
 */
public final class BankNotificationReader {
    public static final String TRANSFER_RESULT = "transfer.result";

    /** Visible ASCII: stored, logged and used as a routing aggregate, so nothing invisible or multi-line. */
    private static final Pattern EVENT_TYPE = Pattern.compile("[\\x21-\\x7E]{1,100}");
    /** Korean open banking's bank_tran_id is 20 characters; other banks' ids are longer but still short. */
    private static final Pattern BANK_TRAN_ID = Pattern.compile("[\\x21-\\x7E]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final int REASON_LENGTH_MAX = 500;

    /** A notification: its type, and the result when the type is {@value #TRANSFER_RESULT}. */
    public record Notification(String type, BankResult result) {
    }

    private BankNotificationReader() {
    }

    public static Notification read(String body, int maxBytes) {
        ObjectNode root = JsonBody.parseObject(body, maxBytes);
        JsonBody.Fields fields = new JsonBody.Fields(root);
        String type = required(fields, "type", EVENT_TYPE, "a short event type such as " + TRANSFER_RESULT);
        if (!fields.errors().isEmpty()) {
            throw ProblemException.validation(fields.errors());
        }
        if (!TRANSFER_RESULT.equals(type)) {
            return new Notification(type, null);
        }

        JsonBody.Fields data = fields.object("data");
        BankResult result = null;
        if (data == null) {
            if (!fields.hasError("data")) {
                fields.error("data", "REQUIRED", "a " + TRANSFER_RESULT + " carries its result in data");
            }
        } else {
            result = result(data, (ObjectNode) root.get("data"));
        }
        if (!fields.errors().isEmpty()) {
            throw ProblemException.validation(fields.errors());
        }
        return new Notification(type, result);
    }

    private static BankResult result(JsonBody.Fields data, ObjectNode node) {
        String bankTranId = required(data, "bank_tran_id", BANK_TRAN_ID, "1-64 visible ASCII characters");
        BankResult.Status status = status(data);
        Long amount = amount(data, node.get("amount"));
        String currency = data.text("currency");
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            data.error("currency", "INVALID_FORMAT", "must be an ISO 4217 code: three upper-case letters");
        }
        String reason = data.text("reason");
        if (reason != null) {
            if (reason.codePointCount(0, reason.length()) > REASON_LENGTH_MAX) {
                data.error("reason", "TOO_LONG", "must be at most " + REASON_LENGTH_MAX + " characters");
            } else if (!Text.printable(reason)) {
                // NUL cannot be stored in text or jsonb, and lone surrogates are not valid UTF-8
                data.error("reason", "INVALID_CHARACTERS", "must not contain control characters or lone surrogates");
            }
        }
        return new BankResult(bankTranId, status, amount, currency, reason);
    }

    private static String required(JsonBody.Fields fields, String name, Pattern format, String expected) {
        String value = fields.text(name);
        if (value == null) {
            if (!fields.hasError(name)) {
                fields.error(name, "REQUIRED", "is required");
            }
            return null;
        }
        if (!format.matcher(value).matches()) {
            fields.error(name, "INVALID_FORMAT", "must be " + expected);
            return null;
        }
        return value;
    }

    private static BankResult.Status status(JsonBody.Fields data) {
        String value = data.text("status");
        if (value == null) {
            if (!data.hasError("status")) {
                data.error("status", "REQUIRED", "is required: SUCCEEDED or FAILED");
            }
            return null;
        }
        // exact spelling only: a bank that starts sending "succeeded" or "PENDING" must be noticed, not guessed at
        return switch (value) {
            case "SUCCEEDED" -> BankResult.Status.SUCCEEDED;
            case "FAILED" -> BankResult.Status.FAILED;
            default -> {
                data.error("status", "INVALID_VALUE", "must be SUCCEEDED or FAILED");
                yield null;
            }
        };
    }

    /** Integer minor units; optional (a cross-check for bank-adapter), but never a string, a fraction or negative. */
    private static Long amount(JsonBody.Fields data, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            data.error("amount", "WRONG_TYPE", "must be an integer number of minor units");
            return null;
        }
        if (!value.canConvertToLong()) {
            data.error("amount", "TOO_LARGE", "is out of range");
            return null;
        }
        if (value.longValue() < 0) {
            data.error("amount", "TOO_SMALL", "must not be negative");
            return null;
        }
        return value.longValue();
    }

}
