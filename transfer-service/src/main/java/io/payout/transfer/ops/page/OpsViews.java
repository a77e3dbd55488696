package io.payout.transfer.ops.page;

import io.payout.transfer.ops.OpsQueries.AnomalyView;
import io.payout.transfer.ops.OpsQueries.StuckTransfer;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the ops page templates render. Everything another service provides is plain text here (the templates escape
 * it), and each such part carries either its content or why it is missing, so one failing service never breaks
 * the page.
 */
public final class OpsViews {
    /** Shown for a value that is absent. */
    public static final String NONE = "—";

    private OpsViews() {
    }

    public record Field(String name, String value) {
    }

    public record Row(List<String> cells) {
    }

    /** Rows of JSON objects shown generically: the columns are every field seen, in order of first appearance. */
    public record Table(List<String> columns, List<Row> rows) {
        public static final Table EMPTY = new Table(List.of(), List.of());

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    public record Entry(String accountId, String amount, String currency) {
    }

    public record Posting(String id, String kind, String externalRef, String createdAt, List<Entry> entries) {
    }

    /** The ledger's postings of the transfer, or why they could not be read. */
    public record PostingsSection(List<Posting> postings, String unavailable) {
        public static PostingsSection unavailable(String reason) {
            return new PostingsSection(List.of(), reason);
        }
    }

    /** The bank dispatch's fields; empty when the adapter has none (yet); or why it could not be read. */
    public record DispatchSection(List<Field> fields, String unavailable) {
        public static DispatchSection unavailable(String reason) {
            return new DispatchSection(List.of(), reason);
        }
    }

    /** A list from elsewhere (webhooks, dead letters), a note when there is nothing to ask for, or why it is missing. */
    public record TableSection(Table table, String note, String unavailable) {
        public static TableSection of(Table table) {
            return new TableSection(table, null, null);
        }

        public static TableSection note(String note) {
            return new TableSection(Table.EMPTY, note, null);
        }

        public static TableSection unavailable(String reason) {
            return new TableSection(Table.EMPTY, null, reason);
        }
    }

    public record Step(int seq, String state, Instant at, String reason) {
    }

    public record Journey(UUID id, String state, List<Field> fields, List<Step> history, List<AnomalyView> anomalies,
                          PostingsSection postings, DispatchSection dispatch, TableSection webhooks, String traceId) {
    }

    public record Dashboard(List<AnomalyView> anomalies, List<StuckTransfer> stuck, String stuckAfter,
                            TableSection deadLetters) {
    }

    public record Match(UUID id, String clientId, String clientRequestId, String state, String externalRef,
                        String amount, String currency, Instant createdAt) {
    }
}
