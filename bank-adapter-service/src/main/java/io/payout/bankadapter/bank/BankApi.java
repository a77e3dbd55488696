package io.payout.bankadapter.bank;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The bank's open-banking API, as raw responses: {@link BankClient} reads status and body itself, because a 4xx or
 * 5xx here is an answer to classify, not an error to throw. Only {@link BankClient} uses it.
 */
@Path("/v2")
public interface BankApi {
    @POST
    @Path("/transfers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> transfer(String body);

    @GET
    @Path("/transfers/{bankTranId}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> inquiry(@PathParam("bankTranId") String bankTranId);

    @GET
    @Path("/statements")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> statement(@QueryParam("date") String date, @QueryParam("page") int page,
                            @QueryParam("size") int size);
}
