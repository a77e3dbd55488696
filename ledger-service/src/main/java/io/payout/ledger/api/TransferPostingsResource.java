package io.payout.ledger.api;

import io.payout.ledger.db.Columns;
import io.payout.platform.money.Currencies;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A transfer's postings with their entries (HOLD, then SETTLE or RELEASE), for ops following a transfer's journey.
 * Read-only, straight from the append-only tables.
 */
@Path("/v1/transfers/{transfer_id}/postings")
@RolesAllowed(AccountResource.OPS)
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class TransferPostingsResource {
    // at most three postings of a few entries each per transfer (UNIQUE (transfer_id, kind)): no paging needed
    private static final String POSTINGS = """
            select p.id, p.kind, p.external_ref, p.created_at, e.account_id, e.amount_minor, e.currency
              from postings p join entries e on e.posting_id = p.id
             where p.transfer_id = :transfer
             order by p.created_at, p.id, e.id""";

    /** {@code postings} in time order; empty when the ledger has none for the transfer. */
    public record TransferPostings(UUID transferId, List<PostingView> postings) {
    }

    public record PostingView(UUID id, String kind, String externalRef, Instant createdAt, List<EntryView> entries) {
    }

    /** A signed amount in the currency's scale: negative left the account, positive entered it. */
    public record EntryView(String accountId, String amount, String currency) {
    }

    @GET
    @Operation(summary = "A transfer's postings (HOLD, SETTLE, RELEASE) with their entries, oldest first",
            description = "Amounts are signed decimal strings in the currency's scale. 200 with an empty list when "
                    + "the ledger has no posting for the transfer.")
    public Uni<TransferPostings> postings(@PathParam("transfer_id") String transferIdParam) {
        UUID transferId;
        try {
            transferId = UUID.fromString(transferIdParam);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("transfer_id", "INVALID_FORMAT",
                    "must be a UUID")));
        }
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createNativeQuery(POSTINGS)
                        .setParameter("transfer", transferId)
                        .getResultList()))
                .map(rows -> new TransferPostings(transferId, group(rows)));
    }

    /** Rows (one per entry) folded into postings, keeping the query's order. */
    private static List<PostingView> group(List<?> rows) {
        Map<UUID, PostingView> byId = new LinkedHashMap<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            UUID id = Columns.uuid(r[0]);
            PostingView posting = byId.computeIfAbsent(id, k -> new PostingView(k, Columns.text(r[1]),
                    Columns.text(r[2]), Columns.instant(r[3]), new ArrayList<>()));
            String currency = Columns.text(r[6]);
            posting.entries().add(new EntryView(Columns.text(r[4]),
                    Currencies.format(Columns.longValue(r[5]), currency), currency));
        }
        return List.copyOf(byId.values());
    }
}
