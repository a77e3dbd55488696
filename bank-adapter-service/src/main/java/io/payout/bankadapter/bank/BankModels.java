package io.payout.bankadapter.bank;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The bank's API payloads (snake_case on the wire). Answers keep the raw JSON for the dispatch row's record. */
public final class BankModels {
    private BankModels() {
    }

    /** {@code POST /v2/transfers}; {@code amount} in integer minor units. */
    public record TransferRequest(String bankTranId, String sourceAccount, String bankCode, String accountNumber,
                                  long amount, String currency) {
    }

    /** The bank's business codes for a transfer. */
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** Result statuses (inquiry, duplicate original, webhook). */
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String PROCESSING = "PROCESSING";
    public static final String NOT_FOUND = "NOT_FOUND";

    /** The order the bank recorded first under a ref, as a DUPLICATE answer shows it. */
    public record Original(String sourceAccount, String bankCode, String accountNumber, Long amount, String currency,
                           String status) {
        static Original from(JsonNode n) {
            return n == null || !n.isObject() ? null : new Original(text(n, "source_account"), text(n, "bank_code"),
                    text(n, "account_number"), amountOf(n), text(n, "currency"), text(n, "status"));
        }
    }

    /** An answer to {@code POST /v2/transfers}: {@code code} is one of the business codes above. */
    public record TransferAnswer(String code, String bankTranId, String status, String reason, Original original,
                                 JsonNode raw) {
        static TransferAnswer from(JsonNode n) {
            return new TransferAnswer(text(n, "code"), text(n, "bank_tran_id"), text(n, "status"), text(n, "reason"),
                    Original.from(n.get("original")), n);
        }
    }

    /** An answer to {@code GET /v2/transfers/{ref}}; {@code status} NOT_FOUND for the bank's 404. */
    public record InquiryAnswer(String bankTranId, String status, Long amount, String currency, String reason,
                                JsonNode raw) {
        static InquiryAnswer from(JsonNode n) {
            return new InquiryAnswer(text(n, "bank_tran_id"), text(n, "status"), amountOf(n), text(n, "currency"),
                    text(n, "reason"), n);
        }
    }

    /**
     * {@code GET /v2/statements?date=&page=&size=}: one page of the withdrawals that left on a value date;
     * {@code hasMore} says whether the next page has lines.
     */
    public record StatementPage(LocalDate date, int page, int size, List<StatementLine> lines, boolean hasMore) {
    }

    public record StatementLine(String bankTranId, long amount, String currency, Instant executedAt) {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Long amountOf(JsonNode n) {
        JsonNode v = n.get("amount");
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        try {
            return Long.parseLong(v.asText().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
