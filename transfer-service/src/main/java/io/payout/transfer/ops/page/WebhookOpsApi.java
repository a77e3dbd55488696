package io.payout.transfer.ops.page;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** webhook-service's stored bank webhooks for one external_ref (ops role), newest first. */
@Path("/v1")
public interface WebhookOpsApi {
    @GET
    @Path("/webhook-events")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> events(@QueryParam("external_ref") String externalRef, @HeaderParam("Authorization") String authorization);
}
