package io.payout.ledger.reconciliation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.payout.ledger.reconciliation.Reconciliations.Mismatch;
import io.payout.ledger.reconciliation.Reconciliations.Run;
import io.payout.platform.money.Currencies;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the reconciliation API answers (snake_case on the wire). Amounts are decimal strings in their currency. */
public final class ReconciliationViews {
    private ReconciliationViews() {
    }

    /**
     * A run. {@code mismatch_counts} always has the four kinds (zeros until COMPLETED); {@code mismatches} (the first
     * {@code mismatches-listed-max}) and {@code mismatches_truncated} only on a single report, not in lists.
     */
    public record ReportView(UUID id, LocalDate date, String trigger, String status,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String failure, String requestedBy,
                             String reason, Instant startedAt, Instant finishedAt, Long bankLines,
                             Long ledgerSettles, Long matched, Map<String, Long> mismatchCounts,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<MismatchView> mismatches,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Boolean mismatchesTruncated) {
    }

    /**
     * One mismatch; a side with nothing has null amounts. {@code currency} is the ledger's (the bank's when the
     * ledger has nothing); {@code bank_currency} appears only when the bank's line is in another currency.
     */
    public record MismatchView(String kind, String externalRef, UUID transferId, String ledgerAmount,
                               String bankAmount, String currency, int bankCount,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String bankCurrency) {
    }

    public record ReportPage(int page, int size, List<ReportView> items) {
    }

    public record MismatchPage(UUID reconciliationId, int page, int size, long total, List<MismatchView> items) {
    }

    static ReportView report(Run run, List<Mismatch> mismatches, int listedMax) {
        List<MismatchView> listed = mismatches == null ? null
                : mismatches.stream().limit(listedMax).map(ReconciliationViews::mismatch).toList();
        Boolean truncated = mismatches == null ? null : run.mismatchTotal() > (listed == null ? 0 : listed.size());
        Map<String, Long> counts = new LinkedHashMap<>();
        run.counts().forEach((kind, n) -> counts.put(kind.name(), n));
        return new ReportView(run.id(), run.date(), run.trigger(), run.status(), run.failure(), run.requestedBy(),
                run.reason(), run.startedAt(), run.finishedAt(), run.bankLines(), run.ledgerSettles(), run.matched(),
                counts, listed, truncated);
    }

    static MismatchView mismatch(Mismatch m) {
        String currency = m.ledgerCurrency() != null ? m.ledgerCurrency() : m.bankCurrency();
        String bankCurrency = m.bankCurrency() != null && !m.bankCurrency().equals(currency) ? m.bankCurrency() : null;
        return new MismatchView(m.kind().name(), m.externalRef(), m.transferId(),
                amount(m.ledgerAmountMinor(), m.ledgerCurrency()), amount(m.bankAmountMinor(), m.bankCurrency()),
                currency, m.bankCount(), bankCurrency);
    }

    private static String amount(Long minor, String currency) {
        return minor == null ? null : Currencies.format(minor, currency);
    }
}
