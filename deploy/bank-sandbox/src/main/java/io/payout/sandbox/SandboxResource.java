package io.payout.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Test and ops hooks of the sandbox bank (SPEC §8): the bank's truth, the fault script, and for reconciliation
 * tests a statement that misreports (amendments) and a late execution of an order the bank had not executed (force).
 */
@Path("/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxResource {
    private static final Logger LOG = Logger.getLogger(SandboxResource.class);

    /** The semantics of every fault, as the OpenAPI document shows them. */
    static final String FAULTS_DESCRIPTION = """
            Replaces the fault script. Body: {"seed": 7, "rules": [{"fault": "timeout", "probability": 1.0}, \
            {"fault": "webhook_delay_ms", "probability": 1.0, "value": 3000}]}. seed is optional (default \
            payout.sandbox.seed); rules is required ([] for none). Each rule needs a known fault and 0 <= probability \
            <= 1; value is required, optional or not allowed depending on the fault, and bounded (ms at most 120000). \
            An invalid script is refused with 400 listing every error; the old script stays.

            Reproducible: the seed feeds one random stream per decision point (transfer request, inquiry request, \
            final result's webhook); each decision draws one number per rule applicable there, in rules order. Per \
            decision at most one fault of a group applies: the first that fires in rules order. Groups: latency; \
            answer (timeout, error_5xx, error_429, drop_response_after_commit, malformed_json, unexpected_status, \
            empty_body); ignore_duplicate_ref; webhook delay; webhook fate (drop, duplicate, reorder); contradiction.

            POST /v2/transfers: latency_ms (value ms: wait before handling, then answer normally); timeout (value ms, \
            default payout.sandbox.timeout-fault-ms = 10000: execute, answer after value ms); error_5xx (503, \
            nothing executed); error_429 (429 with Retry-After = value s, default 1, nothing executed); \
            drop_response_after_commit (execute, then close the connection without a response); \
            ignore_duplicate_ref (a repeat of an executed bank_tran_id withdraws again, a second statement line, and \
            answers a fresh ACCEPTED). EXTENSIONS beyond SPEC §8, for the adapter's robustness: malformed_json \
            (execute, answer 200 with a body that is not JSON), unexpected_status (execute, answer 200 with \
            {"code":"WEIRD","status":"WEIRD"}), empty_body (execute, answer 200 with an empty body). An unreadable \
            order (400) gets only latency_ms, error_5xx and error_429.

            GET /v2/transfers/{id}: latency_ms, timeout (delays the answer), error_5xx, error_429, malformed_json, \
            empty_body.

            Webhooks, per final result: webhook_delay_ms (value ms before sending); webhook_drop (never sent); \
            webhook_duplicate (sent twice, same webhook-id); webhook_reorder (held until a later result's webhook \
            was delivered, or at most value ms, default payout.sandbox.webhook-reorder-hold-ms = 2000); \
            webhook_contradict (value ms, default payout.sandbox.webhook-contradict-delay-ms = 300, after the real \
            webhook, or after it would have gone when dropped: the opposite result with another webhook-id; the \
            bank's state does not change).

            fired counts each fault every time it was actually applied; replacing the script keeps the counts, \
            DELETE /sandbox/faults zeroes them.""";

    private final Executions executions;
    private final Faults faults;
    private final StatementAmendments amendments;
    private final SandboxConfig config;
    private final ObjectMapper mapper;

    /** The 400 answer to an invalid script: every problem, not just the first. */
    public record ScriptRefused(String code, String message, List<String> errors) {
    }

    public SandboxResource(Executions executions, Faults faults, StatementAmendments amendments, SandboxConfig config,
                           ObjectMapper mapper) {
        this.executions = executions;
        this.faults = faults;
        this.amendments = amendments;
        this.config = config;
        this.mapper = mapper;
    }

    @GET
    @Path("/executions")
    @Operation(summary = "Per bank_tran_id, how many times money actually left the bank",
            description = "The bank's truth that 'no double payout' is checked against: count is 0 for a rejected "
                    + "order, 1 once executed, 2 or more only when the ignore_duplicate_ref fault made the bank "
                    + "execute a repeat.")
    public List<Execution> executions() {
        return executions.list();
    }

    @DELETE
    @Path("/executions")
    @Operation(summary = "Forget every transfer and execution (FOR TESTS ONLY)",
            description = "Resets the bank to empty. For tests only: it erases the bank's truth, so never call it "
                    + "against a stack whose invariants are being checked. The fault script and its counters are "
                    + "not touched (DELETE /sandbox/faults).")
    public void reset() {
        executions.reset();
    }

    @POST
    @Path("/executions/{bank_tran_id}/force")
    @Operation(summary = "Execute, late, an order the bank knows but did not execute (FOR TESTS ONLY)",
            description = "For an order the bank refused (e.g. an account ending in 0000): money leaves now. The "
                    + "transfer becomes SUCCEEDED at once (inquiries say so, count is 1) and its line is posted on "
                    + "today's statement (the bank's zone). No webhook is sent: this is the bank that paid and never "
                    + "told us, which only the statement (reconciliation) or an inquiry reveals. 200 with the "
                    + "execution; 404 problem UNKNOWN_TRANSFER for a bank_tran_id the bank never received; 409 "
                    + "problem ALREADY_EXECUTED when money already left for it (forcing never pays twice).")
    public Response force(@PathParam("bank_tran_id") String bankTranId) {
        return switch (executions.force(bankTranId, Instant.now(), config.zone())) {
            case EXECUTED -> {
                LOG.infof("forced execution of %s", bankTranId);
                yield Response.ok(executions.find(bankTranId).map(Execution::of).orElseThrow()).build();
            }
            case UNKNOWN -> SandboxProblem.respond(404, "unknown-transfer", "UNKNOWN_TRANSFER",
                    "Unknown transfer", "The bank never received an order with bank_tran_id " + bankTranId, null);
            case ALREADY_EXECUTED -> SandboxProblem.respond(409, "already-executed", "ALREADY_EXECUTED",
                    "Already executed", "Money already left for " + bankTranId + "; forcing never pays twice", null);
        };
    }

    @GET
    @Path("/statement-amendments")
    @Operation(summary = "The installed statement amendments, by bank_tran_id")
    public List<StatementAmendments.Amendment> amendments() {
        return amendments.list();
    }

    @POST
    @Path("/statement-amendments")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Make the statement misreport a bank_tran_id (FOR TESTS ONLY)",
            description = "{\"bank_tran_id\": \"...\", \"amount\": 12345}: every statement line of that ref shows "
                    + "this amount instead; {\"bank_tran_id\": \"...\", \"omit\": true}: its lines are missing from "
                    + "the statement. Only GET /v2/statements lies: the execution still happened and /sandbox/executions, "
                    + "inquiries and webhooks tell the truth. Replaces an earlier amendment of the same ref; may name "
                    + "a ref not executed yet. 200 with the amendment; 400 problem INVALID_AMENDMENT listing every "
                    + "field error. Kept until DELETE /sandbox/statement-amendments (DELETE /sandbox/executions keeps them).")
    public Response amend(String body) {
        StatementAmendments.Amendment amendment;
        try {
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            amendment = StatementAmendments.read(json);
        } catch (StatementAmendments.Invalid e) {
            return SandboxProblem.respond(400, "invalid-amendment", "INVALID_AMENDMENT", "The amendment is not valid",
                    SandboxProblem.describe(e.errors()), e.errors());
        } catch (JsonProcessingException e) {
            return SandboxProblem.respond(400, "invalid-amendment", "INVALID_AMENDMENT", "The amendment is not valid",
                    "the body is not valid JSON", null);
        }
        amendments.put(amendment);
        LOG.infof("statement amendment installed: %s", amendment);
        return Response.ok(amendment).build();
    }

    @DELETE
    @Path("/statement-amendments")
    @Operation(summary = "Clear every statement amendment (FOR TESTS ONLY)",
            description = "From now on the statement tells the truth again.")
    public void clearAmendments() {
        amendments.clear();
        LOG.info("statement amendments cleared");
    }

    @GET
    @Path("/faults")
    @Operation(summary = "The installed fault script and how many times each fault fired",
            description = "{\"seed\": 7, \"rules\": [...], \"fired\": {\"latency_ms\": 0, \"timeout\": 3, ...}}: "
                    + "fired lists every known fault, zeros included.")
    public Faults.View script() {
        return faults.view();
    }

    @PUT
    @Path("/faults")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace the fault script (FOR TESTS ONLY)", description = FAULTS_DESCRIPTION)
    public Response replace(String body) {
        FaultScript script;
        try {
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            script = FaultScript.read(json, config.seed());
        } catch (FaultScript.Invalid e) {
            return refused(e.errors());
        } catch (JsonProcessingException e) {
            return refused(List.of("the body is not valid JSON"));
        }
        faults.replace(script);
        LOG.infof("fault script installed: seed %d, %s", script.seed(), script.rules());
        return Response.ok(faults.view()).build();
    }

    @DELETE
    @Path("/faults")
    @Operation(summary = "Clear the fault script and zero the fired counters (FOR TESTS ONLY)",
            description = "From now on the bank behaves. Read GET /sandbox/faults first if the counts matter.")
    public void clear() {
        faults.clear();
        LOG.info("fault script cleared");
    }

    private static Response refused(List<String> errors) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new ScriptRefused("INVALID_FAULT_SCRIPT", String.join("; ", errors), errors))
                .build();
    }
}
