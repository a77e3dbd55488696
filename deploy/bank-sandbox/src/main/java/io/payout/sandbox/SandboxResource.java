package io.payout.sandbox;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** Test and ops hooks of the sandbox bank (SPEC §8). */
@Path("/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public class SandboxResource {
    private final Executions executions;

    public SandboxResource(Executions executions) {
        this.executions = executions;
    }

    @GET
    @Path("/executions")
    @Operation(summary = "Per bank_tran_id, how many times money actually left the bank",
            description = "The bank's truth that 'no double payout' is checked against: count is 0 for a rejected "
                    + "order, 1 once executed.")
    public List<Execution> executions() {
        return executions.list();
    }

    @DELETE
    @Path("/executions")
    @Operation(summary = "Forget every transfer and execution (FOR TESTS ONLY)",
            description = "Resets the bank to empty. For tests only: it erases the bank's truth, so never call it "
                    + "against a stack whose invariants are being checked.")
    public void reset() {
        executions.reset();
    }
}
