package io.payout.platform.audit;

import io.payout.platform.api.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The ops audit trail of this service (role {@code ops}); the same API in every service, from the platform. */
@Path("/v1/ops/audit")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final OpsAudit audit;
    private final AuditConfig config;

    public AuditResource(OpsAudit audit, AuditConfig config) {
        this.audit = audit;
        this.config = config;
    }

    @GET
    @Operation(summary = "Ops actions, newest first, optionally one action only (e.g. dead-letter.replay)")
    public Uni<AuditPage> list(@QueryParam("action") String action,
                               @QueryParam("page") String page,
                               @QueryParam("size") String size) {
        QueryParams.PageRequest p = QueryParams.page(page, size, config.pageSizeMax());
        return audit.page(action, p.page(), p.size());
    }
}
