package io.payout.transfer.ops.page;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** ledger-service's read of a transfer's postings (ops role), as a raw response: {@link RemoteViews} classifies it. */
@Path("/v1")
public interface LedgerOpsApi {
    @GET
    @Path("/transfers/{transferId}/postings")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> postings(@PathParam("transferId") String transferId, @HeaderParam("Authorization") String authorization);
}
