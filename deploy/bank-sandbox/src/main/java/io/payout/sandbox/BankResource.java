package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The bank's open-banking API (SPEC §8): transfer, result inquiry, daily statement. Every answer the bank gives
 * about a transfer is HTTP 200 with a business {@code code}; only a request it cannot read is 400.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class BankResource {
    static final String ACCEPTED = "ACCEPTED";
    static final String REJECTED = "REJECTED";
    static final String DUPLICATE = "DUPLICATE";
    static final String INVALID_REQUEST = "INVALID_REQUEST";

    /** The answer to {@code POST /v2/transfers}; fields that do not apply to a code are left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransferReply(String code, String bankTranId, String status, String reason, Original original,
                                String message) {
    }

    /** The first order recorded under a {@code bank_tran_id}, as a duplicate answer shows it. */
    public record Original(String sourceAccount, String bankCode, String accountNumber, long amount, String currency,
                           String status) {
    }

    public record Inquiry(String bankTranId, String status, long amount, String currency, String reason) {
    }

    public record Statement(LocalDate date, List<StatementLine> lines) {
    }

    public record StatementLine(String bankTranId, long amount, String currency, Instant executedAt) {
    }

    private final SandboxBank bank;
    private final Executions executions;
    private final ObjectMapper mapper;
    private final Faults faults;

    public BankResource(SandboxBank bank, Executions executions, ObjectMapper mapper, Faults faults) {
        this.bank = bank;
        this.executions = executions;
        this.mapper = mapper;
        this.faults = faults;
    }

    @POST
    @Path("/transfers")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pay out once per bank_tran_id; a repeat answers DUPLICATE with the original order")
    public Response transfer(String body) {
        switch (faults.beforeRequest()) {
            case NONE -> {
            }
        }
        TransferOrder order;
        try {
            // read here, not by JAX-RS: the bank is strict about types (an amount must be a JSON integer)
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            order = TransferOrder.read(json);
        } catch (TransferOrder.Invalid e) {
            return invalid(e.getMessage());
        } catch (Exception e) {
            return invalid("the body is not valid JSON");
        }
        Executions.Submission s = bank.submit(order);
        switch (faults.afterRecording(order.bankTranId())) {
            case NONE -> {
            }
        }
        BankTransfer t = s.transfer();
        if (!s.first()) {
            TransferOrder o = t.order();
            return Response.ok(new TransferReply(DUPLICATE, t.bankTranId(), null, null, new Original(o.sourceAccount(),
                    o.bankCode(), o.accountNumber(), o.amount(), o.currency(), t.status()), null)).build();
        }
        if (BankTransfer.FAILED.equals(t.status())) {
            return Response.ok(new TransferReply(REJECTED, t.bankTranId(), null, t.reason(), null, null)).build();
        }
        return Response.ok(new TransferReply(ACCEPTED, t.bankTranId(), t.status(), null, null, null)).build();
    }

    @GET
    @Path("/transfers/{bank_tran_id}")
    @Operation(summary = "Result inquiry: SUCCEEDED, FAILED, PROCESSING, or 404 NOT_FOUND")
    public Response inquiry(@PathParam("bank_tran_id") String bankTranId) {
        return executions.find(bankTranId)
                .map(t -> Response.ok(new Inquiry(t.bankTranId(), t.status(), t.order().amount(), t.order().currency(),
                        t.reason())).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).entity(Map.of("status", "NOT_FOUND"))
                        .build());
    }

    @GET
    @Path("/statements")
    @Operation(summary = "The withdrawals that left on a value date (YYYY-MM-DD, bank's zone) and succeeded")
    public Response statement(@QueryParam("date") String date) {
        LocalDate day;
        try {
            day = LocalDate.parse(date == null ? "" : date);
        } catch (DateTimeParseException e) {
            return invalid("date must be YYYY-MM-DD");
        }
        List<StatementLine> lines = executions.executedOn(day).stream()
                .map(t -> new StatementLine(t.bankTranId(), t.order().amount(), t.order().currency(), t.executedAt()))
                .toList();
        return Response.ok(new Statement(day, lines)).build();
    }

    private static Response invalid(String message) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new TransferReply(INVALID_REQUEST, null, null, null, null, message))
                .build();
    }
}
