package io.payout.transfer.ops.page;

import io.payout.platform.deadletter.DeadLetterView;
import io.payout.platform.deadletter.DeadLetters;
import io.payout.transfer.ops.page.OpsViews.Row;
import io.payout.transfer.ops.page.OpsViews.Table;
import io.payout.transfer.ops.page.OpsViews.TableSection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Objects;

/**
 * The dashboard's dead letters of this service: the open ones (never replayed), newest first, read through
 * platform's {@link DeadLetters} — the same list as {@code GET /v1/ops/dead-letters?state=open}. Replaying stays
 * in that JSON API (it needs a reason and is audited); the page only shows.
 */
@ApplicationScoped
public class DeadLetterSection {
    private static final Logger LOG = Logger.getLogger(DeadLetterSection.class);
    private static final List<String> COLUMNS = List.of("dead_lettered_at", "queue", "type", "message_id", "reason",
            "attempts", "id", "payload");
    /** The envelope can be long; the JSON API has it whole. */
    private static final int PAYLOAD_LENGTH_MAX = 300;

    private final DeadLetters deadLetters;

    public DeadLetterSection(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    public Uni<TableSection> open(int max) {
        return deadLetters.page(null, "open", 0, max)
                .map(page -> TableSection.of(new Table(COLUMNS, page.items().stream().map(DeadLetterSection::row).toList())))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf(e, "ops page: dead letters unavailable");
                    return TableSection.unavailable(e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                });
    }

    private static Row row(DeadLetterView d) {
        String payload = d.payload() == null ? OpsViews.NONE
                : d.payload().isTextual() ? d.payload().asText() : d.payload().toString();
        if (payload.length() > PAYLOAD_LENGTH_MAX) {
            payload = payload.substring(0, PAYLOAD_LENGTH_MAX) + "…";
        }
        return new Row(List.of(text(d.deadLetteredAt()), text(d.queue()), text(d.type()), text(d.messageId()),
                text(d.reason()), text(d.attempts()), text(d.id()), payload));
    }

    private static String text(Object value) {
        return value == null ? OpsViews.NONE : Objects.toString(value);
    }
}
