package io.payout.platform.deadletter;

import io.payout.platform.api.Clients;
import io.payout.platform.api.JsonBody;
import io.payout.platform.api.QueryParams;
import io.payout.platform.api.Text;
import io.payout.platform.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.UUID;

/**
 * The dead letters of this service, for ops (role {@code ops}); the same API in every service, from the platform.
 * A replay needs a reason, which goes into the audit trail with the operator's JWT {@code sub}.
 */
@Path("/v1/ops/dead-letters")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    static final int REASON_LENGTH_MIN = 3;
    static final int REASON_LENGTH_MAX = 500;

    private final DeadLetters deadLetters;
    private final DeadLetterConfig config;
    private final SecurityIdentity identity;

    public DeadLetterResource(DeadLetters deadLetters, DeadLetterConfig config, SecurityIdentity identity) {
        this.deadLetters = deadLetters;
        this.config = config;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Dead letters of this service, newest first",
            description = "queue: one consumer queue only; state: open (never replayed), replayed or all (default)")
    public Uni<DeadLetterPage> list(@QueryParam("queue") String queue,
                                    @QueryParam("state") String state,
                                    @QueryParam("page") String page,
                                    @QueryParam("size") String size) {
        QueryParams.PageRequest p = QueryParams.page(page, size, config.pageSizeMax());
        return deadLetters.page(queue, state, p.page(), p.size());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One dead letter; 404 DEAD_LETTER_NOT_FOUND when unknown")
    public Uni<DeadLetterView> get(@PathParam("id") String id) {
        UUID uuid = parse(id);
        return deadLetters.find(uuid).map(view -> {
            if (view == null) {
                throw DeadLetters.notFound(id);
            }
            return view;
        });
    }

    @POST
    @Path("/{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Republish a dead letter, unchanged, to its original queue",
            description = "Body {\"reason\": \"3-500 characters\"}. The consumer's inbox keeps the effect exactly-once "
                    + "however often it is replayed. 200 with the updated dead letter once the broker confirmed; "
                    + "422 VALIDATION_FAILED for a bad reason; 404 DEAD_LETTER_NOT_FOUND; 503 BROKER_UNAVAILABLE "
                    + "when the broker does not confirm (nothing changed).")
    public Uni<DeadLetterView> replay(@PathParam("id") String id, String body) {
        String actor = Clients.clientId(identity);
        String reason = reason(body);
        return deadLetters.replay(parse(id), actor, reason);
    }

    /** The replay request: {@code {"reason": "..."}}, every field error at once, as a 422. */
    private String reason(String body) {
        JsonBody.Fields fields = new JsonBody.Fields(body == null || body.isBlank()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : JsonBody.parseObject(body, config.bodySizeMaxBytes()));
        String reason = fields.text("reason");
        fields.rejectUnknown();
        if (reason == null || reason.isBlank()) {
            if (!fields.hasError("reason")) {
                fields.error("reason", "REQUIRED", "a reason for the replay is required (it is audited)");
            }
        } else {
            reason = reason.strip();
            int length = reason.codePointCount(0, reason.length());
            if (length < REASON_LENGTH_MIN || length > REASON_LENGTH_MAX) {
                fields.error("reason", "INVALID_LENGTH",
                        "must be " + REASON_LENGTH_MIN + " to " + REASON_LENGTH_MAX + " characters");
            } else if (!Text.printable(reason)) {
                fields.error("reason", "INVALID_CHARACTERS", "must not contain control characters");
            }
        }
        if (!fields.errors().isEmpty()) {
            throw ProblemException.fieldErrors(422, "validation-failed", "VALIDATION_FAILED",
                    "The request is not valid", fields.errors());
        }
        return reason;
    }

    /** A malformed id names no dead letter: 404, like an unknown one. */
    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw DeadLetters.notFound(id);
        }
    }
}
