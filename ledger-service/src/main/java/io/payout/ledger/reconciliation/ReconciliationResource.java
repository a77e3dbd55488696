package io.payout.ledger.reconciliation;

import io.payout.ledger.config.LedgerConfig;
import io.payout.ledger.config.ReconciliationConfig;
import io.payout.ledger.reconciliation.Reconciler.Outcome;
import io.payout.ledger.reconciliation.ReconciliationViews.MismatchPage;
import io.payout.ledger.reconciliation.ReconciliationViews.ReportPage;
import io.payout.ledger.reconciliation.ReconciliationViews.ReportView;
import io.payout.ledger.reconciliation.Reconciliations.Run;
import io.payout.platform.api.Clients;
import io.payout.platform.api.JsonBody;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemMappers;
import io.payout.platform.problem.ProblemType;
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
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.payout.platform.api.QueryParams.intParam;

/**
 * Reconciliation runs (SPEC §4), for ops only. {@code POST} runs the reconciliation of a value date now and answers
 * with its report; reports stay readable afterwards, with every mismatch pageable.
 */
@Path("/v1/reconciliations")
@RolesAllowed(ReconciliationResource.OPS)
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {
    static final String OPS = "ops";
    private static final int DEFAULT_PAGE_SIZE = 50;

    /** The body of {@code POST /v1/reconciliations} (for the OpenAPI document; the body is read strictly). */
    @Schema(name = "ReconciliationRequest")
    public record ReconciliationRequest(
            @Schema(required = true, description = "value date, YYYY-MM-DD, not after today in the reconciliation zone",
                    example = "2026-11-21") String date,
            @Schema(description = "why ops runs it (kept with the run)") String reason) {
    }

    private final Reconciler reconciler;
    private final Reconciliations store;
    private final ReconciliationConfig config;
    private final LedgerConfig ledger;
    private final SecurityIdentity identity;

    public ReconciliationResource(Reconciler reconciler, Reconciliations store, ReconciliationConfig config,
                                  LedgerConfig ledger, SecurityIdentity identity) {
        this.reconciler = reconciler;
        this.store = store;
        this.config = config;
        this.ledger = ledger;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reconcile a value date against the bank's statement, now",
            description = "201 with the report (Location: the run). When the statement cannot be read the run is "
                    + "stored FAILED and the answer is 503 (bank-adapter unreachable or busy: try again shortly) or "
                    + "502 (it answered wrongly), naming the run. 400 lists every field error; nothing is stored.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReconciliationRequest.class)))
    public Uni<Response> reconcile(String body) {
        ReconciliationRequest request = read(body);
        String requestedBy = Clients.clientId(identity);
        return reconciler.manual(LocalDate.parse(request.date()), requestedBy, request.reason())
                .flatMap(outcome -> outcome.failure() == null
                        ? report(outcome.run()).map(view -> Response.created(location(outcome.run().id()))
                        .entity(view).build())
                        : Uni.createFrom().item(failed(outcome)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A run's report, with its first mismatches (mismatches-listed-max)")
    public Uni<ReportView> get(@PathParam("id") String id) {
        UUID run = uuid(id);
        return store.find(run).flatMap(found -> report(found.orElseThrow(ReconciliationResource::notFound)));
    }

    @GET
    @Operation(summary = "Runs, newest first; of one value date with ?date=")
    public Uni<ReportPage> list(@QueryParam("date") String dateParam, @QueryParam("page") String pageParam,
                                @QueryParam("size") String sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate date = dateParam == null || dateParam.isEmpty() ? null : date(errors, "date", dateParam);
        int max = config.listPageSizeMax();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / max);
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, max), 1, max);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return store.list(date, page, size).map(runs -> new ReportPage(page, size,
                runs.stream().map(r -> ReconciliationViews.report(r, null, 0)).toList()));
    }

    @GET
    @Path("/{id}/mismatches")
    @Operation(summary = "Every mismatch of a run, in report order")
    public Uni<MismatchPage> mismatches(@PathParam("id") String id, @QueryParam("page") String pageParam,
                                        @QueryParam("size") String sizeParam) {
        UUID run = uuid(id);
        List<FieldError> errors = new ArrayList<>();
        int max = config.listPageSizeMax();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / max);
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, max), 1, max);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return store.find(run).flatMap(found -> {
            Run r = found.orElseThrow(ReconciliationResource::notFound);
            return store.mismatches(run, (long) page * size, size).map(list -> new MismatchPage(run, page, size,
                    r.mismatchTotal(), list.stream().map(ReconciliationViews::mismatch).toList()));
        });
    }

    /** Strict body: unknown fields, wrong types, a missing, malformed or future date — all listed at once. */
    private ReconciliationRequest read(String body) {
        JsonBody.Fields root = new JsonBody.Fields(JsonBody.parseObject(body, ledger.bodySizeMaxBytes()));
        String date = root.text("date");
        String reason = root.text("reason");
        root.rejectUnknown();
        List<FieldError> errors = root.errors();
        if (date == null) {
            if (!root.hasError("date")) {
                root.error("date", "REQUIRED", "is required: the value date to reconcile, YYYY-MM-DD");
            }
        } else {
            date(errors, "date", date);
        }
        if (reason != null && reason.length() > config.reasonLengthMax()) {
            root.error("reason", "INVALID_LENGTH", "must be at most " + config.reasonLengthMax() + " characters");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new ReconciliationRequest(date, reason == null || reason.isBlank() ? null : reason.strip());
    }

    /** A value date, YYYY-MM-DD, not after today in the reconciliation zone (the bank has no statement for it). */
    private LocalDate date(List<FieldError> errors, String field, String raw) {
        LocalDate date;
        try {
            date = LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "INVALID_FORMAT", "must be a date, YYYY-MM-DD"));
            return null;
        }
        LocalDate today = LocalDate.now(config.zone());
        if (date.isAfter(today)) {
            errors.add(new FieldError(field, "DATE_IN_FUTURE", "must not be after today (" + today + " in "
                    + config.zone() + ")"));
            return null;
        }
        return date;
    }

    private Uni<ReportView> report(Run run) {
        int listed = config.mismatchesListedMax();
        return store.mismatches(run.id(), 0, listed).map(list -> ReconciliationViews.report(run, list, listed));
    }

    /** The run is stored FAILED: a problem naming it, with its Location. */
    private static Response failed(Outcome outcome) {
        Run run = outcome.run();
        String detail = "Reconciliation " + run.id() + " of " + run.date() + " FAILED: " + run.failure();
        ProblemException problem = switch (outcome.failure()) {
            case StatementUnavailable s -> ProblemException.of(s.status(), "statement-unavailable",
                    "STATEMENT_UNAVAILABLE", "The bank statement could not be read", detail);
            case Reconciliations.RunEnded e -> ProblemException.of(409, "reconciliation-ended",
                    "RECONCILIATION_ENDED", "The run was ended elsewhere", detail);
            default -> ProblemException.of(500, "reconciliation-failed", "RECONCILIATION_FAILED",
                    "The reconciliation failed", detail);
        };
        return Response.fromResponse(ProblemMappers.respond(problem)).location(location(run.id())).build();
    }

    private static URI location(UUID id) {
        return URI.create("/v1/reconciliations/" + id);
    }

    private static UUID uuid(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "No such reconciliation");
    }
}
