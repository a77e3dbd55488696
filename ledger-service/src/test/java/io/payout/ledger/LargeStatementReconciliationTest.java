package io.payout.ledger;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 100 000-line day: the stub generates the statement page by page on the fly, the ledger holds 100 000 settles of
 * the day (seeded set-based through the real tables, so every constraint and the double-entry trigger still run),
 * and a handful of injected anomalies must come out exactly.
 */
@QuarkusTest
@WithTestResource(BankAdapterStub.class)
class LargeStatementReconciliationTest {
    private static final int N = 100_000;
    private static final int PAGE_SIZE = 1000;
    private static final LocalDate DAY = LocalDate.of(2026, 9, 1);

    private static String ref(int i) {
        return String.format("BULK-%06d", i);
    }

    private static long amount(int i) {
        return 1000 + i % 9000;
    }

    @Test
    void aHundredThousandLineDayReconcilesPageByPageWithExactlyTheInjectedAnomalies() throws SQLException {
        seedSettles();
        // the bank's statement: BULK-i for every i, except where an anomaly is injected
        BankAdapterStub.statement(DAY, new BankAdapterStub.Statement() {
            @Override
            public int size() {
                return N;
            }

            @Override
            public BankAdapterStub.Line line(int i) {
                return switch (i) {
                    case 7 -> new BankAdapterStub.Line(ref(7), amount(7) + 1, "KRW");           // amount differs
                    case 54_321 -> new BankAdapterStub.Line(ref(i), amount(i), "USD");          // currency differs
                    case 12_345 -> new BankAdapterStub.Line(ref(12_344), amount(12_344), "KRW"); // withdrawn twice;
                    // and 12 345 is missing at the bank
                    case 99_998 -> new BankAdapterStub.Line("EXTRA-1", 777, "KRW");             // unknown to us; and
                    // 99 998 is missing at the bank
                    default -> new BankAdapterStub.Line(ref(i), amount(i), "KRW");
                };
            }
        });

        JsonPath report = Recon.reconciled(DAY);

        assertThat(report.getString("status")).isEqualTo("COMPLETED");
        assertThat(report.getLong("bank_lines")).isEqualTo(N);
        assertThat(report.getLong("ledger_settles")).isEqualTo(N);
        // 99 999 distinct refs on the statement, 4 of them mismatched
        assertThat(report.getLong("matched")).isEqualTo(99_995);
        assertThat(report.getMap("mismatch_counts")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "DUPLICATE_AT_BANK", 1, "MISSING_IN_LEDGER", 1, "AMOUNT_MISMATCH", 2, "MISSING_AT_BANK", 2));
        List<String> expected = List.of(
                "DUPLICATE_AT_BANK " + ref(12_344),
                "MISSING_IN_LEDGER EXTRA-1",
                "AMOUNT_MISMATCH " + ref(7),
                "AMOUNT_MISMATCH " + ref(54_321),
                "MISSING_AT_BANK " + ref(12_345),
                "MISSING_AT_BANK " + ref(99_998));
        // the report embeds the first mismatches-listed-max (5 in tests); the mismatch pages have them all
        assertThat(Recon.kindsAndRefs(report)).containsExactlyElementsOf(expected.subList(0, 5));
        assertThat(report.getBoolean("mismatches_truncated")).isTrue();
        JsonPath all = Ledger.get(Ledger.ops(), "/v1/reconciliations/" + report.getString("id") + "/mismatches?size=50")
                .then().statusCode(200).extract().jsonPath();
        assertThat(all.getLong("total")).isEqualTo(6);
        assertThat(Recon.kindsAndRefs(all, "items")).containsExactlyElementsOf(expected);
        assertThat(report.getMap("mismatches[0]")).containsEntry("bank_count", 2)
                .containsEntry("ledger_amount", Long.toString(amount(12_344)));
        assertThat(report.getMap("mismatches[3]")).containsEntry("currency", "KRW")
                .containsEntry("bank_currency", "USD").containsEntry("ledger_amount", "1321")
                .containsEntry("bank_amount", "13.21");
        // one bank call per page of the configured size, and nothing more
        assertThat(BankAdapterStub.calls(DAY)).isEqualTo(N / PAGE_SIZE);
        assertThat(BankAdapterStub.accepted(DAY)).extracting(BankAdapterStub.Call::page)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, N / PAGE_SIZE).boxed().toList());
        assertThat(Rows.count("select count(*) from reconciliation_lines where reconciliation_id = ?::uuid",
                report.getString("id"))).isEqualTo(N);
        assertThat(Rows.count("select count(*) from reconciliation_lines where reconciliation_id = ?::uuid"
                + " and seq between 0 and ? ", report.getString("id"), N - 1)).isEqualTo(N);
    }

    /**
     * 100 000 SETTLE postings of {@link #DAY} (holds → bank-clearing), each with its two entries, in one transaction
     * through the real tables: the deferred double-entry check runs for every posting at commit. One funding posting
     * puts the total into the holds account first, so the ledger still balances and holds end at zero.
     */
    private static void seedSettles() throws SQLException {
        Recon.account("KRW"); // the KRW system accounts exist from the first customer account on
        try (Connection c = TestInfra.connect(ServiceTestResource.database())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("insert into postings (id, transfer_id, kind, reference)"
                        + " values (md5('bulk-fund')::uuid, null, 'DEPOSIT', 'bulk-fund-" + DAY + "')");
                st.executeUpdate("""
                        insert into entries (posting_id, account_id, amount_minor, currency)
                        select md5('bulk-fund')::uuid, v.account, v.sign * t.total, 'KRW'
                          from (select sum(1000 + g %% 9000) as total from generate_series(0, %d) g) t,
                               (values ('funding:KRW', -1), ('holds:KRW', 1)) v (account, sign)""".formatted(N - 1));
                st.executeUpdate("""
                        insert into postings (id, transfer_id, kind, external_ref, value_date)
                        select md5('bulk-settle-' || g)::uuid, md5('bulk-transfer-' || g)::uuid, 'SETTLE',
                               'BULK-' || lpad(g::text, 6, '0'), date '%s'
                          from generate_series(0, %d) g""".formatted(DAY, N - 1));
                st.executeUpdate("""
                        insert into entries (posting_id, account_id, amount_minor, currency)
                        select md5('bulk-settle-' || g)::uuid, v.account, v.sign * (1000 + g %% 9000), 'KRW'
                          from generate_series(0, %d) g,
                               (values ('holds:KRW', -1), ('bank-clearing:KRW', 1)) v (account, sign)"""
                        .formatted(N - 1));
            }
            c.commit();
        }
        assertThat(Rows.count("select count(*) from postings where kind = 'SETTLE' and value_date = ?::date",
                DAY.toString())).isEqualTo(N);
        assertThat(Rows.count("select coalesce(sum(amount_minor), 0) from entries where account_id = 'holds:KRW'"
                + " and posting_id in (select id from postings where reference like 'bulk-fund-%' or"
                + " (kind = 'SETTLE' and value_date = ?::date))", DAY.toString())).isZero();
    }
}
