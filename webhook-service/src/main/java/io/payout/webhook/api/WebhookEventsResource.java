package io.payout.webhook.api;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.webhook.config.WebhookConfig;
import io.payout.webhook.event.EventHistory;
import io.payout.webhook.event.EventHistory.StoredEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.payout.platform.api.QueryParams.intParam;

/** The bank webhooks as stored, for ops following a transfer's journey. Read-only; requires the {@code ops} role. */
@Path("/v1/webhook-events")
@RolesAllowed("ops")
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookEventsResource {
    private static final int DEFAULT_PAGE_SIZE = 50;

    /** One page, newest first; {@code has_more}: a next page has events. */
    public record Page(int page, int size, List<Item> items, boolean hasMore) {
    }

    /**
     * One stored event: the bank's claim ({@code status}, {@code amount_minor}, {@code currency}, {@code reason}; null
     * for an event that is not a transfer result), and whether and as which message it was forwarded.
     */
    public record Item(String eventId, String externalRef, String eventType, String status, Long amountMinor,
                       String currency, String reason, Instant receivedAt, boolean forwarded,
                       UUID messageId, Instant publishedAt) {
        static Item of(StoredEvent e) {
            return new Item(e.eventId(), e.externalRef(), e.eventType(), e.status(), e.amountMinor(), e.currency(),
                    e.reason(), e.receivedAt(), e.messageId() != null, e.messageId(), e.publishedAt());
        }
    }

    private final EventHistory history;
    private final WebhookConfig config;

    public WebhookEventsResource(EventHistory history, WebhookConfig config) {
        this.history = history;
        this.config = config;
    }

    @GET
    @Operation(summary = "Stored bank webhooks by external_ref (bank_tran_id) and/or event_id, newest first",
            description = "At least one of external_ref and event_id (400 otherwise); both narrow together. "
                    + "page from 0, size 1 to payout.webhook.events-page-size-max. Only transfer results carry an "
                    + "external_ref; an event of another type is found by event_id. Duplicates were never stored, "
                    + "so each event appears once.")
    public Uni<Page> events(@QueryParam("external_ref") String externalRef, @QueryParam("event_id") String eventId,
                            @QueryParam("page") String pageParam, @QueryParam("size") String sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        String ref = blankToNull(externalRef);
        String id = blankToNull(eventId);
        if (ref == null && id == null) {
            errors.add(new FieldError("external_ref", "REQUIRED", "give external_ref or event_id (or both)"));
        }
        int max = config.eventsPageSizeMax();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / max);
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, max), 1, max);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        // one more than the page: whether a next page exists, without counting
        return Panache.withSession(() -> Panache.getSession().flatMap(session ->
                        history.find(session, ref, id, size + 1, (long) page * size)))
                .map(found -> new Page(page, size, found.stream().limit(size).map(Item::of).toList(),
                        found.size() > size));
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
