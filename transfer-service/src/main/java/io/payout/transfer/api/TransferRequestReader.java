package io.payout.transfer.api;

import io.payout.platform.api.JsonBody;
import io.payout.platform.api.Text;
import io.payout.platform.money.Currencies;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.Violations;
import io.payout.transfer.config.TransferConfig;
import io.payout.transfer.intake.TransferIntent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a raw POST body into a {@link TransferIntent}, or refuses it listing every field error at once:
 * shape and types first (strict JSON), then the format constraints (Hibernate Validator), then the rules that need
 * the currency and the configured limits. A well-formed ISO currency we do not support is a 422, reported only
 * when the request is otherwise valid.
 */
@ApplicationScoped
public class TransferRequestReader {
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int ACCOUNT_DIGITS_MIN = 6;
    private static final int ACCOUNT_DIGITS_MAX = 20;

    private final Validator validator;
    private final TransferConfig config;

    public TransferRequestReader(Validator validator, TransferConfig config) {
        this.validator = validator;
        this.config = config;
    }

    /** The Idempotency-Key header: required, 1-255 visible ASCII characters. */
    public String idempotencyKey(String header) {
        if (header == null || header.isEmpty()) {
            throw ProblemException.validation(List.of(new FieldError("Idempotency-Key", "REQUIRED",
                    "the Idempotency-Key header is required: a unique id for this transfer, reused on retries")));
        }
        if (!IDEMPOTENCY_KEY.matcher(header).matches()) {
            throw ProblemException.validation(List.of(new FieldError("Idempotency-Key", "INVALID_FORMAT",
                    "must be 1-255 visible ASCII characters (no spaces or control characters)")));
        }
        return header;
    }

    public TransferIntent read(String body) {
        JsonBody.Fields root = new JsonBody.Fields(JsonBody.parseObject(body, config.bodySizeMaxBytes()));
        TransferRequest request = bind(root);
        List<FieldError> errors = root.errors();
        validator.validate(request).stream()
                .map(Violations::toFieldError)
                .filter(e -> errors.stream().noneMatch(prior -> prior.field().equals(e.field())))
                .forEach(errors::add);

        String currency = request.currency() == null ? null : request.currency().toUpperCase(Locale.ROOT);
        boolean currencyUsable = currency != null && !root.hasError("currency");
        if (currencyUsable && Currencies.iso(currency).isEmpty()) {
            root.error("currency", "UNKNOWN_CURRENCY", "'" + currency + "' is not an ISO 4217 currency code");
            currencyUsable = false;
        }
        long amountMinor = currencyUsable && request.amount() != null && !root.hasError("amount")
                ? amountMinor(root, request.amount(), currency) : 0;
        String accountDigits = accountDigits(root, request.destination());
        checkMemo(root, request.memo());

        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (!config.currencies().containsKey(currency)) {
            throw ProblemException.of(422, "unsupported-currency", "UNSUPPORTED_CURRENCY", "Currency not supported",
                    currency + " is a valid currency but transfers in it are not offered; supported: "
                            + String.join(", ", config.currencies().keySet().stream().sorted().toList()));
        }
        return new TransferIntent(request.sourceAccount(), request.destination().bankCode(), accountDigits,
                amountMinor, currency, request.memo());
    }

    private static TransferRequest bind(JsonBody.Fields root) {
        String source = root.text("source_account");
        JsonBody.Fields dest = root.object("destination");
        TransferRequest.Destination destination = null;
        if (dest != null) {
            destination = new TransferRequest.Destination(dest.text("bank_code"), dest.text("account_number"));
            dest.rejectUnknown();
        }
        TransferRequest request = new TransferRequest(source, destination, root.text("amount"), root.text("currency"),
                root.text("memo"));
        root.rejectUnknown();
        return request;
    }

    private long amountMinor(JsonBody.Fields root, String amount, String currency) {
        long minor = root.positiveAmount("amount", amount, currency);
        TransferConfig.CurrencyLimits limits = config.currencies().get(currency);
        if (minor > 0 && limits != null && minor > limits.amountMaxMinor()) {
            root.error("amount", "TOO_LARGE", "must be at most "
                    + Currencies.format(limits.amountMaxMinor(), currency) + " " + currency);
        }
        return minor;
    }

    private static String accountDigits(JsonBody.Fields root, TransferRequest.Destination destination) {
        if (destination == null || destination.accountNumber() == null
                || root.hasError("destination.account_number")) {
            return null;
        }
        String digits = destination.accountNumber().replaceAll("[^0-9]", "");
        if (digits.length() < ACCOUNT_DIGITS_MIN || digits.length() > ACCOUNT_DIGITS_MAX) {
            root.errors().add(new FieldError("destination.account_number", "INVALID_LENGTH",
                    "must have " + ACCOUNT_DIGITS_MIN + "-" + ACCOUNT_DIGITS_MAX + " digits"));
        }
        return digits;
    }

    private void checkMemo(JsonBody.Fields root, String memo) {
        if (memo == null) {
            return;
        }
        int codePoints = memo.codePointCount(0, memo.length());
        if (codePoints > config.memoLengthMax()) {
            root.error("memo", "TOO_LONG", "must be at most " + config.memoLengthMax() + " characters");
        } else if (!Text.printable(memo)) {
            root.error("memo", "INVALID_CHARACTERS", "must not contain control characters or unpaired surrogates");
        }
    }
}
