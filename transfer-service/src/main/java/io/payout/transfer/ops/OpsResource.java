package io.payout.transfer.ops;

import io.payout.platform.api.QueryParams;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.transfer.config.TransferConfig;
import io.payout.transfer.ops.OpsQueries.AnomalyView;
import io.payout.transfer.ops.OpsQueries.StuckTransfer;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/** What ops needs to look at: stuck transfers and anomalies (contradicting results, collisions). Requires the {@code ops} role. */
@Path("/v1/ops")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class OpsResource {
    private final TransferConfig config;
    private final OpsQueries queries;

    public OpsResource(TransferConfig config, OpsQueries queries) {
        this.config = config;
        this.queries = queries;
    }

    public record AnomalyPage(int page, int size, List<AnomalyView> items) {
    }

    public record StuckPage(String olderThan, int page, int size, List<StuckTransfer> items) {
    }

    @GET
    @Path("/transfers/stuck")
    @WithSession
    @Operation(summary = "Transfers DISPATCHED longer than older_than (ISO 8601, e.g. PT5M) and still without a result, oldest first")
    public Uni<StuckPage> stuck(@QueryParam("older_than") String olderThan,
                                @QueryParam("page") String pageParam,
                                @QueryParam("size") String sizeParam) {
        QueryParams.PageRequest p = QueryParams.page(pageParam, sizeParam, config.pageSizeMax());
        Duration age;
        try {
            age = Duration.parse(olderThan == null ? "" : olderThan);
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(List.of(new FieldError("older_than", "INVALID_FORMAT",
                    "must be an ISO 8601 duration such as PT5M or PT1H")));
        }
        if (age.isNegative()) {
            throw ProblemException.validation(List.of(new FieldError("older_than", "OUT_OF_RANGE", "must not be negative")));
        }
        return queries.stuck(age, p.page(), p.size())
                .map(items -> new StuckPage(age.toString(), p.page(), p.size(), items));
    }

    @GET
    @Path("/anomalies")
    @WithSession
    @Operation(summary = "Anomalies, newest first, optionally for one transfer")
    public Uni<AnomalyPage> anomalies(@QueryParam("transfer_id") String transferIdParam,
                                      @QueryParam("page") String pageParam,
                                      @QueryParam("size") String sizeParam) {
        QueryParams.PageRequest p = QueryParams.page(pageParam, sizeParam, config.pageSizeMax());
        UUID transferId = null;
        if (transferIdParam != null && !transferIdParam.isEmpty()) {
            try {
                transferId = UUID.fromString(transferIdParam);
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation(List.of(new FieldError("transfer_id", "INVALID_FORMAT",
                        "must be a transfer id (UUID)")));
            }
        }
        return queries.anomalies(transferId, p.page(), p.size())
                .map(items -> new AnomalyPage(p.page(), p.size(), items));
    }
}
