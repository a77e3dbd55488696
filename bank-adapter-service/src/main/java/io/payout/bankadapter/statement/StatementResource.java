package io.payout.bankadapter.statement;

import io.payout.bankadapter.bank.BankClient;
import io.payout.bankadapter.bank.BankModels.StatementPage;
import io.payout.bankadapter.bank.BankNotCalled;
import io.payout.bankadapter.bank.BankUnavailable;
import io.payout.bankadapter.config.BankConfig;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import static io.payout.platform.api.QueryParams.intParam;

/**
 * The bank's statement for a value date, as the bank gives it, one page per request: reconciliation's input.
 * Each page is one guarded bank call and holds at most {@code payout.bank.statement-page-size-max} lines, so a day
 * of any length is read page by page in bounded memory. Requires the {@code ops} or the {@code statement-reader}
 * role (the ledger's reconciliation calls it with a service token of that group).
 */
@Path("/v1/bank-statements")
@RolesAllowed({StatementResource.OPS, StatementResource.STATEMENT_READER})
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {
    static final String OPS = "ops";
    static final String STATEMENT_READER = "statement-reader";
    private static final int DEFAULT_PAGE_SIZE = 1000;

    /** One page of the statement; {@code has_more}: the next page has lines. */
    public record Page(LocalDate date, int page, int size, List<Line> lines, boolean hasMore) {
    }

    /** One withdrawal the bank made; {@code amount_minor} in the currency's minor units. */
    public record Line(String bankTranId, long amountMinor, String currency, Instant executedAt) {
    }

    private final BankClient bank;
    private final BankConfig config;

    public StatementResource(BankClient bank, BankConfig config) {
        this.bank = bank;
        this.config = config;
    }

    @GET
    @Operation(summary = "The withdrawals the bank executed on a value date (YYYY-MM-DD, the bank's zone), a page at a time",
            description = "?date=YYYY-MM-DD&page=0&size=1000: page from 0, size 1 to payout.bank.statement-page-size-max "
                    + "(default 1000 or that maximum if smaller). Read pages 0, 1, … while has_more is true. Each page "
                    + "is one call to the bank; 502 when the bank gave no usable answer, 503 when it was not called.")
    public Uni<Page> statement(@QueryParam("date") String date, @QueryParam("page") String pageParam,
                               @QueryParam("size") String sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate day = null;
        try {
            day = LocalDate.parse(date == null ? "" : date.strip());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("date", "INVALID_DATE", "date must be YYYY-MM-DD"));
        }
        int max = config.statementPageSizeMax();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / max);
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, max), 1, max);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return bank.statement(day, page, size)
                .map(StatementResource::view)
                .onFailure(BankUnavailable.class).transform(e -> ProblemException.of(502,
                        "bank-unavailable", "BANK_UNAVAILABLE", "The bank did not answer", e.getMessage()))
                // the breaker is open or every bank slot is busy: the bank was not asked, try again shortly
                .onFailure(BankNotCalled.class).transform(e -> ProblemException.of(503,
                        "bank-unavailable", "BANK_UNAVAILABLE", "The bank is not being called right now", e.getMessage()));
    }

    private static Page view(StatementPage p) {
        return new Page(p.date(), p.page(), p.size(), p.lines().stream()
                .map(l -> new Line(l.bankTranId(), l.amount(), l.currency(), l.executedAt())).toList(), p.hasMore());
    }
}
