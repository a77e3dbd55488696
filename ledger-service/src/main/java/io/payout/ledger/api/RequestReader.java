package io.payout.ledger.api;

import io.payout.ledger.config.LedgerConfig;
import io.payout.platform.api.JsonBody;
import io.payout.platform.money.Currencies;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

import java.util.List;
import java.util.Locale;

/**
 * Turns raw bodies into requests, or refuses them listing every field error at once: strict JSON and types first,
 * then the format constraints (Hibernate Validator), then the rules that need a currency. Nothing is written for
 * any refusal: all of this runs before the first statement.
 */
@ApplicationScoped
public class RequestReader {
    private final Validator validator;
    private final LedgerConfig config;

    public RequestReader(Validator validator, LedgerConfig config) {
        this.validator = validator;
        this.config = config;
    }

    /** A valid request to open an account; the currency upper-cased. A valid ISO code we do not offer is a 422. */
    public OpenAccountRequest openAccount(String body) {
        JsonBody.Fields root = new JsonBody.Fields(JsonBody.parseObject(body, config.bodySizeMaxBytes()));
        OpenAccountRequest request = new OpenAccountRequest(root.text("id"), root.text("currency"), root.text("owner"));
        root.rejectUnknown();
        List<FieldError> errors = validate(root, request);
        String currency = request.currency() == null ? null : request.currency().toUpperCase(Locale.ROOT);
        if (currency != null && !root.hasError("currency") && Currencies.iso(currency).isEmpty()) {
            root.error("currency", "UNKNOWN_CURRENCY", "'" + currency + "' is not an ISO 4217 currency code");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (!config.currencies().contains(currency)) {
            throw ProblemException.of(422, "unsupported-currency", "UNSUPPORTED_CURRENCY", "Currency not supported",
                    currency + " is a valid currency but the ledger does not keep accounts in it; supported: "
                            + String.join(", ", config.currencies().stream().sorted().toList()));
        }
        return new OpenAccountRequest(request.id(), currency, request.owner());
    }

    /** The body of a deposit, parsed; {@link #amountMinor} finishes it once the account's currency is known. */
    public JsonBody.Fields depositFields(String body) {
        return new JsonBody.Fields(JsonBody.parseObject(body, config.bodySizeMaxBytes()));
    }

    public record Deposit(long amountMinor, String reference) {
    }

    /** A valid deposit in {@code currency}, or every field error at once. */
    public Deposit deposit(JsonBody.Fields root, String currency) {
        DepositRequest request = new DepositRequest(root.text("amount"), root.text("reference"));
        root.rejectUnknown();
        List<FieldError> errors = validate(root, request);
        long amountMinor = 0;
        if (request.amount() != null && !root.hasError("amount")) {
            amountMinor = root.positiveAmount("amount", request.amount(), currency);
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Deposit(amountMinor, request.reference());
    }

    /** Adds the constraint violations of fields that have no error yet (a wrong type is reported once). */
    private <T> List<FieldError> validate(JsonBody.Fields root, T request) {
        List<FieldError> errors = root.errors();
        validator.validate(request).stream()
                .map(Violations::toFieldError)
                .filter(e -> errors.stream().noneMatch(prior -> prior.field().equals(e.field())))
                .sorted(java.util.Comparator.comparing(FieldError::field))
                .forEach(errors::add);
        return errors;
    }
}
