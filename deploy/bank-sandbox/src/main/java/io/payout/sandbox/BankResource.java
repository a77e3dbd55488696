package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bank's open-banking API (SPEC §8): transfer, result inquiry, daily statement. Every answer the bank gives
 * about a transfer is HTTP 200 with a business {@code code}; only a request it cannot read is 400 — unless the fault
 * script ({@link Faults}) makes it misbehave.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class BankResource {
    static final String ACCEPTED = "ACCEPTED";
    static final String REJECTED = "REJECTED";
    static final String DUPLICATE = "DUPLICATE";
    static final String INVALID_REQUEST = "INVALID_REQUEST";
    static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    static final String TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS";
    private static final Logger LOG = Logger.getLogger(BankResource.class);

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

    public record StatementLine(String bankTranId, long amount, String currency, Instant executedAt) {
    }

    private final SandboxBank bank;
    private final Executions executions;
    private final Statements statements;
    private final ObjectMapper mapper;
    private final Faults faults;
    private final Vertx vertx;

    public BankResource(SandboxBank bank, Executions executions, Statements statements, ObjectMapper mapper,
                        Faults faults, Vertx vertx) {
        this.bank = bank;
        this.executions = executions;
        this.statements = statements;
        this.mapper = mapper;
        this.faults = faults;
        this.vertx = vertx;
    }

    // Both transfer endpoints return Uni and wait on Vert.x timers: a scripted 10 s timeout must not hold a worker
    // thread. Every side effect (executing, cutting the connection) happens eagerly inside the timer callback, never
    // in a lazily subscribed Uni, so a client that gives up (and a cancelled subscription) cannot undo an execution.

    @POST
    @Path("/transfers")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Pay out once per bank_tran_id; a repeat answers DUPLICATE with the original order",
            description = "Subject to the fault script (PUT /sandbox/faults): latency_ms, timeout, error_5xx, "
                    + "error_429, drop_response_after_commit, ignore_duplicate_ref, and the extensions "
                    + "malformed_json, unexpected_status, empty_body.")
    public Uni<Response> transfer(String body, @Context HttpServerRequest request) {
        FaultDecision decision = faults.forTransfer();
        return afterLatency(decision, () -> transferNow(body, decision, request));
    }

    private Uni<Response> transferNow(String body, FaultDecision decision, HttpServerRequest request) {
        Response refused = refusal(decision);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        TransferOrder order;
        try {
            // read here, not by JAX-RS: the bank is strict about types (an amount must be a JSON integer)
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            order = TransferOrder.read(json);
        } catch (TransferOrder.Invalid e) {
            return Uni.createFrom().item(invalid(e.getMessage()));
        } catch (Exception e) {
            return Uni.createFrom().item(invalid("the body is not valid JSON"));
        }
        // an unreadable order never reaches the book, so the after-commit faults below do not apply to it
        SandboxBank.Result result = bank.submit(order, decision.has(FaultKind.IGNORE_DUPLICATE_REF));
        return afterCommit(decision, reply(result), order.bankTranId(), request);
    }

    private static Response reply(SandboxBank.Result result) {
        BankTransfer t = result.transfer();
        return switch (result.outcome()) {
            case EXECUTED -> Response.ok(new TransferReply(ACCEPTED, t.bankTranId(), t.status(), null, null, null))
                    .build();
            // the buggy bank took the repeat for a new order: a fresh acceptance, whatever the ref's real status
            case EXECUTED_AGAIN -> Response.ok(new TransferReply(ACCEPTED, t.bankTranId(), BankTransfer.PROCESSING,
                    null, null, null)).build();
            case REJECTED -> Response.ok(new TransferReply(REJECTED, t.bankTranId(), null, t.reason(), null, null))
                    .build();
            case DUPLICATE -> {
                TransferOrder o = t.order();
                yield Response.ok(new TransferReply(DUPLICATE, t.bankTranId(), null, null, new Original(
                        o.sourceAccount(), o.bankCode(), o.accountNumber(), o.amount(), o.currency(), t.status()),
                        null)).build();
            }
        };
    }

    @GET
    @Path("/transfers/{bank_tran_id}")
    @Operation(summary = "Result inquiry: SUCCEEDED, FAILED, PROCESSING, or 404 NOT_FOUND",
            description = "Subject to the fault script: latency_ms, timeout (only delays), error_5xx, error_429, "
                    + "and the extensions malformed_json, empty_body.")
    public Uni<Response> inquiry(@PathParam("bank_tran_id") String bankTranId) {
        FaultDecision decision = faults.forInquiry();
        return afterLatency(decision, () -> {
            Response refused = refusal(decision);
            if (refused != null) {
                return Uni.createFrom().item(refused);
            }
            Response answer = executions.find(bankTranId)
                    .map(t -> Response.ok(new Inquiry(t.bankTranId(), t.status(), t.order().amount(),
                            t.order().currency(), t.reason())).build())
                    .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                            .entity(Map.of("status", "NOT_FOUND")).build());
            return afterCommit(decision, answer, bankTranId, null);
        });
    }

    /** {@code latency_ms}: the bank sits on the request before looking at it; then {@code next} runs. */
    private Uni<Response> afterLatency(FaultDecision decision, Supplier<Uni<Response>> next) {
        if (!decision.has(FaultKind.LATENCY_MS)) {
            return next.get();
        }
        faults.fired(FaultKind.LATENCY_MS);
        long ms = decision.valueOf(FaultKind.LATENCY_MS);
        return Uni.createFrom().<Uni<Response>>emitter(emitter -> vertx.setTimer(Math.max(1, ms), id -> {
            try {
                emitter.complete(next.get());
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        })).flatMap(answer -> answer);
    }

    /** {@code error_5xx}, {@code error_429}: the bank turns the request away before doing anything; else null. */
    private Response refusal(FaultDecision decision) {
        if (decision.has(FaultKind.ERROR_5XX)) {
            faults.fired(FaultKind.ERROR_5XX);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                    .entity(new TransferReply(SERVICE_UNAVAILABLE, null, null, null, null,
                            "scripted fault error_5xx: nothing was done"))
                    .build();
        }
        if (decision.has(FaultKind.ERROR_429)) {
            faults.fired(FaultKind.ERROR_429);
            return Response.status(Response.Status.TOO_MANY_REQUESTS).type(MediaType.APPLICATION_JSON)
                    .header("Retry-After", decision.valueOf(FaultKind.ERROR_429))
                    .entity(new TransferReply(TOO_MANY_REQUESTS, null, null, null, null,
                            "scripted fault error_429: nothing was done"))
                    .build();
        }
        return null;
    }

    /**
     * The answer-shaping faults that strike after the bank did its work ({@code answer} is what it would have said):
     * a late answer, no answer at all, or a garbage answer. The work stands in every case.
     */
    private Uni<Response> afterCommit(FaultDecision decision, Response answer, String bankTranId,
                                      HttpServerRequest request) {
        FaultKind kind = decision.in(FaultKind.Group.ANSWER).map(FaultDecision.Fired::kind).orElse(null);
        if (kind == null) {
            return Uni.createFrom().item(answer);
        }
        switch (kind) {
            case TIMEOUT -> {
                faults.fired(kind);
                return Uni.createFrom().emitter(emitter -> vertx.setTimer(
                        Math.max(1, decision.valueOf(FaultKind.TIMEOUT)), id -> emitter.complete(answer)));
            }
            case DROP_RESPONSE_AFTER_COMMIT -> {
                if (request == null) {
                    return Uni.createFrom().item(answer);
                }
                faults.fired(kind);
                LOG.infof("fault drop_response_after_commit: %s executed, cutting the connection", bankTranId);
                // HTTP/1.x: reset() closes the connection with the response unsent; the caller sees it closed.
                // Nothing is ever written after that: an item would only make the framework write to a dead
                // connection, and the pending request is released with the connection.
                request.response().reset();
                return Uni.createFrom().nothing();
            }
            case MALFORMED_JSON -> {
                faults.fired(kind);
                // a strict prefix of a JSON object is never JSON: it reads like an answer cut off mid-way
                String json = json(answer.getEntity());
                return Uni.createFrom().item(garbage(json.substring(0, Math.max(1, json.length() / 2))));
            }
            case UNEXPECTED_STATUS -> {
                faults.fired(kind);
                return Uni.createFrom().item(garbage("{\"code\":\"WEIRD\",\"bank_tran_id\":\"" + bankTranId
                        + "\",\"status\":\"WEIRD\"}"));
            }
            case EMPTY_BODY -> {
                faults.fired(kind);
                return Uni.createFrom().item(garbage(""));
            }
            default -> {
                return Uni.createFrom().item(answer);
            }
        }
    }

    /** 200, claiming JSON, with exactly these bytes (a byte[] entity: no JSON writer gets to fix it up). */
    private static Response garbage(String body) {
        return Response.ok(body.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON).build();
    }

    private String json(Object entity) {
        try {
            return mapper.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer is not JSON-able", e);
        }
    }

    @GET
    @Path("/statements")
    @Operation(summary = "The withdrawals that left on a value date (YYYY-MM-DD, bank's zone) and succeeded, a page "
            + "at a time",
            description = "?date=YYYY-MM-DD&page=0&size=1000 -> {date, page, size, lines: [{bank_tran_id, amount, "
                    + "currency, executed_at}], has_more}. page defaults to 0, size to payout.sandbox.statement-page-"
                    + "size (1000) and may be at most payout.sandbox.statement-page-size-max (5000). Lines are in "
                    + "posting order: a withdrawal is posted when its transfer succeeds, and new lines only append, "
                    + "so paging while the bank executes loses and repeats nothing (executed_at is therefore not "
                    + "strictly increasing). One line per withdrawal: a ref executed twice shows twice. Statement "
                    + "amendments (POST /sandbox/statement-amendments) apply. A bad parameter is a 400 "
                    + "application/problem+json, code INVALID_REQUEST, listing every parameter in errors.")
    public Response statement(@QueryParam("date") String date, @QueryParam("page") String page,
                              @QueryParam("size") String size) {
        try {
            return Response.ok(statements.page(date, page, size)).build();
        } catch (Statements.Invalid e) {
            return SandboxProblem.respond(400, "invalid-request", INVALID_REQUEST, "The request is not valid",
                    SandboxProblem.describe(e.errors()), e.errors());
        }
    }

    private static Response invalid(String message) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new TransferReply(INVALID_REQUEST, null, null, null, null, message))
                .build();
    }
}
