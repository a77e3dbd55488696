package io.payout.sandbox;

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
    @Operation(summary = "Per bank_tran_id, how many times money actually left the bank")
    public List<Execution> executions() {
        return executions.list();
    }
}
