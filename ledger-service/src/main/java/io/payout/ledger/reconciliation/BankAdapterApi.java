package io.payout.ledger.reconciliation;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * bank-adapter's statement endpoint, as raw responses: {@link StatementClient} classifies the status itself (a 502
 * or 503 there is an answer — the bank could not be reached — not an exception to guess at).
 */
@Path("/v1/bank-statements")
public interface BankAdapterApi {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> statement(@QueryParam("date") String date, @QueryParam("page") int page,
                            @QueryParam("size") int size, @HeaderParam("Authorization") String authorization);
}
