package io.payout.transfer.ops;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.transfer.config.TransferConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What ops needs to look at: anomalies (contradicting results, collisions). Requires the {@code ops} role. */
@Path("/v1/ops")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class OpsResource {
    private final TransferConfig config;

    public OpsResource(TransferConfig config) {
        this.config = config;
    }

    public record AnomalyView(UUID id, UUID transferId, String kind, String detail, UUID messageId, Instant createdAt) {
    }

    public record AnomalyPage(int page, int size, List<AnomalyView> items) {
    }

    @GET
    @Path("/anomalies")
    @WithSession
    @Operation(summary = "Anomalies, newest first, optionally for one transfer")
    public Uni<AnomalyPage> anomalies(@QueryParam("transfer_id") UUID transferId,
                                      @QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > config.pageSizeMax()) {
            throw ProblemException.validation(List.of(new FieldError(page < 0 ? "page" : "size", "OUT_OF_RANGE",
                    "page must be >= 0 and size between 1 and " + config.pageSizeMax())));
        }
        var query = transferId == null
                ? Anomaly.<Anomaly>findAll(Sort.descending("createdAt"))
                : Anomaly.<Anomaly>find("transferId", Sort.descending("createdAt"), transferId);
        return query.page(Page.of(page, size)).list().map(list -> new AnomalyPage(page, size, list.stream()
                .map(a -> new AnomalyView(a.id, a.transferId, a.kind, a.detail, a.messageId, a.createdAt)).toList()));
    }
}
