package io.payout.transfer.api;

import io.payout.platform.api.Clients;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.payout.transfer.intake.IntakeResult;
import io.payout.transfer.intake.TransferIntake;
import io.payout.transfer.ratelimit.ClientRateLimiter;
import io.payout.transfer.state.Transfer;
import io.payout.transfer.state.TransferRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The public transfer API for the mobile backend (SPEC §2). The client is the token's {@code sub}. */
@Path("/v1/transfers")
@Authenticated
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class TransferResource {
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final TransferRequestReader reader;
    private final TransferIntake intake;
    private final TransferRepository transfers;
    private final SecurityIdentity identity;
    private final ClientRateLimiter rateLimiter;

    public TransferResource(TransferRequestReader reader, TransferIntake intake, TransferRepository transfers,
                            SecurityIdentity identity, ClientRateLimiter rateLimiter) {
        this.reader = reader;
        this.intake = intake;
        this.transfers = transfers;
        this.identity = identity;
        this.rateLimiter = rateLimiter;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a transfer, idempotently per Idempotency-Key",
            description = "201 on the first request; the same status and body with Idempotent-Replayed: true on "
                    + "every repeat with the same key and payload; 422 IDEMPOTENCY_KEY_REUSED for another payload; "
                    + "429 RATE_LIMITED with Retry-After when the client's budget is spent (replays count too).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TransferRequest.class)))
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String idempotencyKey, String body) {
        String client = clientId();
        // before anything is read or looked up: a replay costs a lookup, an invalid request a parse, so both count
        var refusal = rateLimiter.refusal(client);
        if (refusal.isPresent()) {
            return Uni.createFrom().item(refusal.get());
        }
        String key = reader.idempotencyKey(idempotencyKey);
        var intent = reader.read(body);
        return intake.submit(client, key, intent).map(TransferResource::answer);
    }

    @GET
    @Path("/{id}")
    @WithSession
    @Operation(summary = "A transfer of the calling client, with its state history")
    public Uni<TransferView> get(@PathParam("id") String id) {
        UUID uuid = TransferIntake.parseId(id);
        if (uuid == null) {
            return Uni.createFrom().failure(notFound());
        }
        return view(transfers.findOwned(uuid, clientId()));
    }

    @GET
    @WithSession
    @Operation(summary = "The calling client's transfer created with this Idempotency-Key")
    public Uni<TransferView> byIdempotencyKey(@QueryParam("idempotency_key") String key) {
        if (key == null || key.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.validation(List.of(new FieldError("idempotency_key",
                    "REQUIRED", "the idempotency_key query parameter is required"))));
        }
        return view(transfers.findByKey(clientId(), key));
    }

    private Uni<TransferView> view(Uni<Transfer> lookup) {
        return lookup.flatMap(t -> t == null
                ? Uni.createFrom().failure(notFound())
                : transfers.history(t.id).map(h -> TransferView.of(t, h)));
    }

    private static Response answer(IntakeResult r) {
        Response.ResponseBuilder b = Response.status(r.status())
                .type(MediaType.APPLICATION_JSON)
                .location(URI.create("/v1/transfers/" + r.transferId()))
                .entity(r.body());
        if (r.replayed()) {
            b.header(REPLAYED_HEADER, "true");
        }
        return b.build();
    }

    private String clientId() {
        return Clients.clientId(identity);
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "No such transfer");
    }
}
