package io.payout.bankadapter.statement;

import io.payout.bankadapter.bank.BankClient;
import io.payout.bankadapter.bank.BankModels.Statement;
import io.payout.bankadapter.bank.BankNotCalled;
import io.payout.bankadapter.bank.BankUnavailable;
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

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The bank's statement for a value date, as the bank gives it: reconciliation's input. Requires the {@code ops} role. */
@Path("/v1/bank-statements")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class StatementResource {
    private final BankClient bank;

    public StatementResource(BankClient bank) {
        this.bank = bank;
    }

    @GET
    @Operation(summary = "The withdrawals the bank executed on a value date (YYYY-MM-DD, the bank's zone)")
    public Uni<Statement> statement(@QueryParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date == null ? "" : date.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(List.of(new FieldError("date", "INVALID_DATE", "date must be YYYY-MM-DD")));
        }
        return bank.statement(day)
                .onFailure(BankUnavailable.class).transform(e -> ProblemException.of(502,
                        "bank-unavailable", "BANK_UNAVAILABLE", "The bank did not answer", e.getMessage()))
                // the breaker is open or every bank slot is busy: the bank was not asked, try again shortly
                .onFailure(BankNotCalled.class).transform(e -> ProblemException.of(503,
                        "bank-unavailable", "BANK_UNAVAILABLE", "The bank is not being called right now", e.getMessage()));
    }
}
