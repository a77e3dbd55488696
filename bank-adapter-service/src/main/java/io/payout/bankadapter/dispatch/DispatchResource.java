package io.payout.bankadapter.dispatch;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.List;
import java.util.UUID;

/** Read-only view of the dispatches, for ops following a transfer's journey. Requires the {@code ops} role. */
@Path("/v1/dispatches")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class DispatchResource {
    private final Dispatches dispatches;

    public DispatchResource(Dispatches dispatches) {
        this.dispatches = dispatches;
    }

    @GET
    @Path("/{transfer_id}")
    @Operation(summary = "A transfer's dispatch: its external_ref, status, the bank's last answer, call counts",
            description = "404 DISPATCH_NOT_FOUND when the transfer never reached the adapter.")
    public Uni<DispatchView> byTransfer(@PathParam("transfer_id") String transferId) {
        UUID id = uuid(transferId);
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> s.find(Dispatch.class, id)))
                .map(d -> found(d, "transfer " + transferId));
    }

    @GET
    @Operation(summary = "The dispatch that holds an external_ref (the bank's bank_tran_id)",
            description = "?external_ref= is required; 404 DISPATCH_NOT_FOUND when no dispatch holds it.")
    public Uni<DispatchView> byExternalRef(@QueryParam("external_ref") String externalRef) {
        if (externalRef == null || externalRef.isBlank()) {
            throw ProblemException.validation(List.of(new FieldError("external_ref", "REQUIRED",
                    "give the external_ref (bank_tran_id) to look up, or use /v1/dispatches/{transfer_id}")));
        }
        String ref = externalRef.strip();
        return Panache.withSession(() -> Panache.getSession().flatMap(s -> dispatches.byRef(s, ref)))
                .map(d -> found(d, "external_ref " + ref));
    }

    private static DispatchView found(Dispatch d, String what) {
        if (d == null) {
            throw ProblemException.of(404, "dispatch-not-found", "DISPATCH_NOT_FOUND", "Dispatch not found",
                    "No dispatch for " + what);
        }
        return DispatchView.of(d);
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("transfer_id", "INVALID_FORMAT",
                    "must be a UUID")));
        }
    }
}
