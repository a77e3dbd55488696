package io.payout.ledger.reconciliation;

import io.payout.platform.api.JsonResponses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.ledger.config.ReconciliationConfig;
import io.payout.platform.money.Currencies;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads one page of the bank's statement from bank-adapter ({@code GET /v1/bank-statements?date=&page=&size=}) and
 * checks it against the contract before anything is stored: a page that is not the one asked for, a line without a
 * ref, amount or ISO currency, or "more pages" with no lines would make a report that looks right and is not.
 */
@ApplicationScoped
public class StatementClient {
    /** One statement line as stored. {@code executedAt} may be null (the bank did not say). */
    public record Line(String bankTranId, long amountMinor, String currency, OffsetDateTime executedAt) {
    }

    public record Page(List<Line> lines, boolean hasMore) {
    }

    private final BankAdapterApi api;
    private final ObjectMapper mapper;
    private final Duration timeout;

    public StatementClient(ReconciliationConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.timeout = Duration.ofMillis(config.bankAdapterTimeoutMs());
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.bankAdapterUrl()))
                .connectTimeout(config.bankAdapterTimeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(config.bankAdapterTimeoutMs(), TimeUnit.MILLISECONDS)
                // statuses are classified below; the default mapper would turn every 4xx/5xx into an exception
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(BankAdapterApi.class);
    }

    /** Page {@code page} (0-based) of the statement of {@code date}; fails with {@link StatementUnavailable}. */
    public Uni<Page> page(LocalDate date, int page, int size, String bearer) {
        return api.statement(date.toString(), page, size, bearer)
                // the read timeout is an idle timeout: this bounds the whole exchange
                .ifNoItem().after(timeout).failWith(() -> new StatementUnavailable(503,
                        "bank-adapter did not answer page " + page + " within " + timeout.toMillis() + " ms"))
                .onFailure(f -> !(f instanceof StatementUnavailable)).transform(f -> new StatementUnavailable(503,
                        "bank-adapter unreachable (" + f.getClass().getSimpleName() + "): " + f.getMessage()))
                .map(response -> {
                    try (response) {
                        return read(response, date, page, size);
                    }
                });
    }

    private Page read(Response response, LocalDate date, int page, int size) {
        int status = response.getStatus();
        JsonNode body = JsonResponses.objectOrNull(mapper, response);
        if (status != 200) {
            String said = body == null ? "" : ": " + body.path("code").asText("") + " " + body.path("detail").asText("");
            throw new StatementUnavailable(status == 503 ? 503 : 502, switch (status / 100) {
                case 4 -> status == 401 || status == 403
                        ? "bank-adapter refused the ledger's service token (" + status + said
                        + "); it must trust the ledger's signing key and issuer"
                        : "bank-adapter refused the statement request (" + status + said + ")";
                default -> "bank-adapter could not give the statement (" + status + said + ")";
            });
        }
        if (body == null) {
            throw invalid(page, "the body is not a JSON object");
        }
        if (!date.toString().equals(body.path("date").asText(null))) {
            throw invalid(page, "it is for date " + body.path("date") + ", not " + date);
        }
        if (!body.path("page").canConvertToInt() || body.path("page").intValue() != page) {
            throw invalid(page, "it says it is page " + body.path("page"));
        }
        JsonNode lines = body.path("lines");
        JsonNode hasMore = body.path("has_more");
        if (!lines.isArray() || !hasMore.isBoolean()) {
            throw invalid(page, "lines (array) and has_more (boolean) are required");
        }
        if (lines.size() > size) {
            throw invalid(page, lines.size() + " lines where at most " + size + " were asked for");
        }
        if (hasMore.booleanValue() && lines.isEmpty()) {
            // would be asked for forever
            throw invalid(page, "no lines, yet has_more");
        }
        List<Line> read = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            read.add(line(lines.get(i), page, i));
        }
        return new Page(read, hasMore.booleanValue());
    }

    private static Line line(JsonNode n, int page, int index) {
        String ref = n.path("bank_tran_id").isTextual() ? n.path("bank_tran_id").textValue().strip() : "";
        JsonNode amount = n.path("amount_minor");
        String currency = n.path("currency").asText("");
        String where = "line " + index + (ref.isEmpty() ? "" : " (" + ref + ")");
        if (ref.isEmpty()) {
            throw invalid(page, where + " has no bank_tran_id");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw invalid(page, where + " has no integer amount_minor");
        }
        if (Currencies.iso(currency).isEmpty()) {
            throw invalid(page, where + " has currency '" + currency + "', not an ISO 4217 code");
        }
        OffsetDateTime executedAt = null;
        JsonNode at = n.path("executed_at");
        if (at.isTextual()) {
            try {
                executedAt = OffsetDateTime.parse(at.textValue());
            } catch (DateTimeParseException e) {
                throw invalid(page, where + " has executed_at '" + at.textValue() + "', not an RFC 3339 instant");
            }
        }
        return new Line(ref, amount.longValue(), currency, executedAt);
    }

    private static StatementUnavailable invalid(int page, String why) {
        return new StatementUnavailable(502, "bank-adapter's statement page " + page + " breaks the contract: " + why);
    }
}
