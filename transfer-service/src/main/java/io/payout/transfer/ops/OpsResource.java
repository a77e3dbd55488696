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

import io.payout.platform.money.Currencies;
import io.quarkus.hibernate.reactive.panache.Panache;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    public OpsResource(TransferConfig config) {
        this.config = config;
    }

    public record AnomalyView(UUID id, UUID transferId, String kind, String detail, UUID messageId, Instant createdAt) {
    }

    public record AnomalyPage(int page, int size, List<AnomalyView> items) {
    }

    public record StuckTransfer(UUID id, String clientId, String state, String externalRef, String amount,
                                String currency, Instant since, int inquiryAttempts, Instant nextInquiryAt) {
    }

    public record StuckPage(String olderThan, int page, int size, List<StuckTransfer> items) {
    }

    @GET
    @Path("/transfers/stuck")
    @WithSession
    @Operation(summary = "Transfers DISPATCHED longer than older_than (ISO 8601, e.g. PT5M) and still without a result, oldest first")
    public Uni<StuckPage> stuck(@QueryParam("older_than") String olderThan,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("50") int size) {
        checkPage(page, size);
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
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                        select t.id, t.client_id, t.state, t.external_ref, t.amount_minor, t.currency, d.at,
                               t.inquiry_attempts, t.next_inquiry_at
                          from transfers t
                          join lateral (select min(h.at) at from transfer_history h
                                         where h.transfer_id = t.id and h.state = 'DISPATCHED') d on true
                         where t.state in ('DISPATCHED', 'EXPIRED') and d.at < :before
                         order by d.at offset :offset limit :size""", Object[].class)
                .setParameter("before", OffsetDateTime.now(ZoneOffset.UTC).minus(age))
                .setParameter("offset", page * size)
                .setParameter("size", size)
                .getResultList())
                .map(rows -> new StuckPage(age.toString(), page, size, rows.stream().map(r -> new StuckTransfer(
                        (UUID) r[0], (String) r[1], (String) r[2], (String) r[3],
                        Currencies.format(((Number) r[4]).longValue(), (String) r[5]), (String) r[5], instant(r[6]),
                        ((Number) r[7]).intValue(), instant(r[8]))).toList()));
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp ts -> ts.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }

    private void checkPage(int page, int size) {
        if (page < 0 || size < 1 || size > config.pageSizeMax()) {
            throw ProblemException.validation(List.of(new FieldError(page < 0 ? "page" : "size", "OUT_OF_RANGE",
                    "page must be >= 0 and size between 1 and " + config.pageSizeMax())));
        }
    }

    @GET
    @Path("/anomalies")
    @WithSession
    @Operation(summary = "Anomalies, newest first, optionally for one transfer")
    public Uni<AnomalyPage> anomalies(@QueryParam("transfer_id") UUID transferId,
                                      @QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        checkPage(page, size);
        var query = transferId == null
                ? Anomaly.<Anomaly>findAll(Sort.descending("createdAt"))
                : Anomaly.<Anomaly>find("transferId", Sort.descending("createdAt"), transferId);
        return query.page(Page.of(page, size)).list().map(list -> new AnomalyPage(page, size, list.stream()
                .map(a -> new AnomalyView(a.id, a.transferId, a.kind, a.detail, a.messageId, a.createdAt)).toList()));
    }
}
