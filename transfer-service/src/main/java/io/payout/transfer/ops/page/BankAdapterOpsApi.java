package io.payout.transfer.ops.page;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** bank-adapter-service's view of a transfer's bank dispatch (ops role); 404 when there is none. */
@Path("/v1")
public interface BankAdapterOpsApi {
    @GET
    @Path("/dispatches/{transferId}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> dispatch(@PathParam("transferId") String transferId, @HeaderParam("Authorization") String authorization);
}
