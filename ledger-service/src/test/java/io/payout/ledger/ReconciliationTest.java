package io.payout.ledger;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.payout.ledger.Recon.line;
import static io.payout.ledger.Recon.reconcile;
import static io.payout.ledger.Recon.reconciled;
import static io.payout.ledger.Recon.ref;
import static io.payout.ledger.Recon.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * {@code POST /v1/reconciliations} against a bank-adapter stub serving the paged statement, with the ledger side
 * written through the real {@code ledger.commands} path. Each test owns its value dates.
 */
@QuarkusTest
@WithTestResource(BankAdapterStub.class)
class ReconciliationTest {

    @Test
    void aCleanDayReconcilesWithZeroMismatches() {
        LocalDate day = LocalDate.of(2026, 10, 1);
        String a = ref("CLEAN");
        String b = ref("CLEAN");
        String c = ref("CLEAN");
        settle(a, 1500, day);
        settle(b, 2500, day);
        settle(c, 700, day);
        // a settle of the day before is no concern of this day's statement
        settle(ref("OTHER-DAY"), 900, day.minusDays(1));
        BankAdapterStub.statement(day, List.of(line(a, 1500), line(b, 2500), line(c, 700)));

        Response posted = reconcile(day);
        posted.then().statusCode(201)
                .header("Location", containsString("/v1/reconciliations/"))
                .body("date", equalTo(day.toString()))
                .body("trigger", equalTo("MANUAL"))
                .body("status", equalTo("COMPLETED"))
                .body("requested_by", equalTo(Ledger.OPS))
                .body("bank_lines", equalTo(3))
                .body("ledger_settles", equalTo(3))
                .body("matched", equalTo(3))
                .body("mismatches.size()", equalTo(0))
                .body("mismatches_truncated", equalTo(false));
        JsonPath report = posted.jsonPath();
        assertThat(report.getMap("mismatch_counts")).containsOnlyKeys(Recon.KINDS)
                .allSatisfy((kind, n) -> assertThat(n).isEqualTo(0));
        assertThat(report.getString("failure")).isNull();
        assertThat(report.getString("started_at")).isNotNull();
        assertThat(report.getString("finished_at")).isNotNull();

        // the stored report is the same, and the statement was kept as received
        String id = report.getString("id");
        Ledger.get(Ledger.ops(), posted.header("Location")).then().statusCode(200)
                .body("id", equalTo(id)).body("matched", equalTo(3)).body("status", equalTo("COMPLETED"));
        assertThat(Rows.count("select count(*) from reconciliation_lines where reconciliation_id = ?::uuid"
                + " and bank_tran_id in (?, ?, ?)", id, a, b, c)).isEqualTo(3);
        // a manual run is an ops action: audited with who and what, in the run's own transaction
        assertThat(Rows.query(ServiceTestResource.database(),
                "select actor, action, details->>'date' d from ops_audit where target = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("actor", Ledger.OPS)
                        .containsEntry("action", "reconciliation.run").containsEntry("d", day.toString()));
        // one page, asked for with the ledger's own short-lived service token
        assertThat(BankAdapterStub.calls(day)).isEqualTo(1);
        assertThat(BankAdapterStub.accepted(day)).singleElement().satisfies(call -> {
            assertThat(call.subject()).isEqualTo("ledger-service");
            assertThat(call.groups()).containsExactly("statement-reader");
            assertThat(call.lifetimeS()).isEqualTo(60);
            assertThat(call.page()).isZero();
            assertThat(call.size()).isEqualTo(1000);
        });
    }

    @Test
    void eachKindOfMismatchIsReportedExactlyOnceAndNothingElse() {
        LocalDate day = LocalDate.of(2026, 10, 2);
        String clean = ref("OK");
        String twice = ref("DUP");
        String altered = ref("AMT");
        String unpaid = ref("NOLINE");
        String paidAfterRelease = ref("REL");
        settle(clean, 1000, day);
        UUID twiceTransfer = settle(twice, 2000, day);
        UUID alteredTransfer = settle(altered, 1234, "USD", day);
        UUID unpaidTransfer = settle(unpaid, 4000, day);
        // the transfer failed and its hold went back, yet the bank paid: the release names the transfer
        UUID releasedTransfer = Recon.release(paidAfterRelease, 5000);
        BankAdapterStub.statement(day, List.of(
                line(clean, 1000),
                line(twice, 2000),
                line(paidAfterRelease, 5000),
                new BankAdapterStub.Line(altered, 1243, "USD"),
                line(twice, 2000)));

        JsonPath report = reconciled(day);

        assertThat(report.getString("status")).isEqualTo("COMPLETED");
        assertThat(report.getLong("bank_lines")).isEqualTo(5);
        assertThat(report.getLong("ledger_settles")).isEqualTo(4);
        assertThat(report.getLong("matched")).isEqualTo(1);
        assertThat(report.getMap("mismatch_counts")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MISSING_IN_LEDGER", 1, "MISSING_AT_BANK", 1, "AMOUNT_MISMATCH", 1, "DUPLICATE_AT_BANK", 1));
        // in precedence order: duplicate, missing in ledger, amount, missing at bank
        assertThat(Recon.kindsAndRefs(report)).containsExactly(
                "DUPLICATE_AT_BANK " + twice,
                "MISSING_IN_LEDGER " + paidAfterRelease,
                "AMOUNT_MISMATCH " + altered,
                "MISSING_AT_BANK " + unpaid);
        assertThat(report.getMap("mismatches[0]")).containsEntry("transfer_id", twiceTransfer.toString())
                .containsEntry("ledger_amount", "2000").containsEntry("bank_amount", "2000")
                .containsEntry("currency", "KRW").containsEntry("bank_count", 2);
        assertThat(report.getMap("mismatches[1]")).containsEntry("transfer_id", releasedTransfer.toString())
                .containsEntry("ledger_amount", null).containsEntry("bank_amount", "5000")
                .containsEntry("currency", "KRW").containsEntry("bank_count", 1);
        // amounts in the currency's scale
        assertThat(report.getMap("mismatches[2]")).containsEntry("transfer_id", alteredTransfer.toString())
                .containsEntry("ledger_amount", "12.34").containsEntry("bank_amount", "12.43")
                .containsEntry("currency", "USD").containsEntry("bank_count", 1)
                .doesNotContainKey("bank_currency");
        assertThat(report.getMap("mismatches[3]")).containsEntry("transfer_id", unpaidTransfer.toString())
                .containsEntry("ledger_amount", "4000").containsEntry("bank_amount", null)
                .containsEntry("currency", "KRW").containsEntry("bank_count", 0);
    }

    @Test
    void reRunningADateGivesTheSameReportUnderANewId() {
        LocalDate day = LocalDate.of(2026, 10, 3);
        String a = ref("RR");
        String b = ref("RR");
        String c = ref("RR");
        String stranger = ref("UNKNOWN");
        settle(a, 100, day);
        settle(b, 200, day);
        settle(c, 300, day);
        BankAdapterStub.statement(day, List.of(line(a, 100), line(b, 201), line(stranger, 50), line(stranger, 50)));

        JsonPath first = reconciled(day);
        JsonPath second = reconciled(day);

        assertThat(second.getString("id")).isNotEqualTo(first.getString("id"));
        for (String field : List.of("bank_lines", "ledger_settles", "matched")) {
            assertThat(second.getLong(field)).as(field).isEqualTo(first.getLong(field));
        }
        assertThat(second.getMap("mismatch_counts")).isEqualTo(first.getMap("mismatch_counts"));
        assertThat(second.getList("mismatches")).isEqualTo(first.getList("mismatches"));
        assertThat(Recon.kindsAndRefs(first)).containsExactly(
                "DUPLICATE_AT_BANK " + stranger, "AMOUNT_MISMATCH " + b, "MISSING_AT_BANK " + c);
        // a ref no posting carries: nothing to name
        assertThat(first.getMap("mismatches[0]")).containsEntry("transfer_id", null).containsEntry("bank_count", 2);
        assertThat(Recon.runsOf(day)).isEqualTo(2);
        assertThat(BankAdapterStub.calls(day)).isEqualTo(2);
    }

    @Test
    void aSettleWithoutValueDateCountsOnTheDayItWasPostedInTheReconciliationZone() {
        String legacy = ref("LEGACY");
        settle(legacy, 3300, null);
        // the day it was posted on in Seoul (read back, so a run across midnight cannot confuse the test)
        LocalDate today = LocalDate.parse(Rows.query(io.payout.testsupport.ServiceTestResource.database(),
                "select ((created_at at time zone 'Asia/Seoul')::date)::text as d from postings"
                        + " where kind = 'SETTLE' and external_ref = ? and value_date is null", legacy)
                .getFirst().get("d").toString());

        JsonPath withoutLine = reconciled(today);
        assertThat(Recon.kindsAndRefs(withoutLine)).contains("MISSING_AT_BANK " + legacy);
        JsonPath yesterday = reconciled(today.minusDays(1));
        assertThat(Recon.kindsAndRefs(yesterday)).noneMatch(m -> m.contains(legacy));

        BankAdapterStub.statement(today, List.of(line(legacy, 3300)));
        JsonPath withLine = reconciled(today);
        assertThat(Recon.kindsAndRefs(withLine)).noneMatch(m -> m.contains(legacy));
        assertThat(withLine.getLong("matched")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aReportListsTheFirstMismatchesAndPagingGivesThemAll() {
        LocalDate day = LocalDate.of(2026, 10, 5);
        int n = BankAdapterStub.MISMATCHES_LISTED_MAX + 2;
        List<BankAdapterStub.Line> lines = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(line(String.format("PAID-%s-%02d", day, i), 10 + i));
        }
        BankAdapterStub.statement(day, lines);

        JsonPath report = reconciled(day);
        assertThat(report.getMap("mismatch_counts")).containsEntry("MISSING_IN_LEDGER", n);
        assertThat(report.getList("mismatches")).hasSize(BankAdapterStub.MISMATCHES_LISTED_MAX);
        assertThat(report.getBoolean("mismatches_truncated")).isTrue();

        String id = report.getString("id");
        List<String> paged = new java.util.ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonPath p = Ledger.get(Ledger.ops(), "/v1/reconciliations/" + id + "/mismatches?page=" + page + "&size=3")
                    .then().statusCode(200).body("total", equalTo(n)).body("reconciliation_id", equalTo(id))
                    .extract().jsonPath();
            paged.addAll(p.getList("items.external_ref"));
        }
        assertThat(paged).containsExactlyElementsOf(lines.stream().map(BankAdapterStub.Line::bankTranId).toList());

        // the list: newest first, filtered by date, without the mismatch lists
        JsonPath again = reconciled(day);
        Ledger.get(Ledger.ops(), "/v1/reconciliations?date=" + day + "&size=10").then().statusCode(200)
                .body("items.id", equalTo(List.of(again.getString("id"), id)))
                .body("items[0].mismatch_counts.MISSING_IN_LEDGER", equalTo(n))
                .body("items[0].mismatches", equalTo(null));
        Ledger.get(Ledger.ops(), "/v1/reconciliations?size=1&page=0").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("size", equalTo(1));
    }

    @Test
    void anUnavailableBankAdapterStoresAFailedRunAndAnswersAProblemNamingIt() {
        LocalDate outage = LocalDate.of(2026, 10, 7);
        LocalDate broken = LocalDate.of(2026, 10, 8);
        BankAdapterStub.failing(outage, 503);
        BankAdapterStub.failing(broken, 502);
        double failedBefore = Recon.metric("payout_reconciliation_runs_total", "status=\"FAILED\",trigger=\"MANUAL\"");

        Response busy = reconcile(outage);
        busy.then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("STATEMENT_UNAVAILABLE"))
                .body("detail", containsString("FAILED"))
                .body("trace_id", org.hamcrest.Matchers.notNullValue());
        Response bad = reconcile(broken);
        bad.then().statusCode(502).body("code", equalTo("STATEMENT_UNAVAILABLE"));

        for (Response r : List.of(busy, bad)) {
            String location = r.header("Location");
            assertThat(location).contains("/v1/reconciliations/");
            String id = location.substring(location.lastIndexOf('/') + 1);
            assertThat(r.jsonPath().getString("detail")).contains(id);
            Ledger.get(Ledger.ops(), location).then().statusCode(200)
                    .body("id", equalTo(id))
                    .body("status", equalTo("FAILED"))
                    .body("failure", containsString("bank-adapter could not give the statement"))
                    .body("matched", equalTo(null))
                    .body("mismatch_counts.MISSING_AT_BANK", equalTo(0));
        }
        assertThat(Recon.runsOf(outage)).isEqualTo(1);
        assertThat(Recon.metric("payout_reconciliation_runs_total", "status=\"FAILED\",trigger=\"MANUAL\""))
                .isEqualTo(failedBefore + 2);
    }

    @Test
    void aTokenTheBankAdapterDoesNotAcceptFailsTheRunSayingSo() {
        // the stub refuses anything but the ledger's token; a statement answering 401 is what an untrusted key gets
        LocalDate day = LocalDate.of(2026, 10, 9);
        BankAdapterStub.failing(day, 401);

        reconcile(day).then().statusCode(502).body("detail", containsString("service token"));
        assertThat(Rows.count("select count(*) from reconciliations where value_date = ?::date and status = 'FAILED'"
                + " and failure like '%must trust the ledger''s signing key%'", day.toString())).isEqualTo(1);
    }

    @Test
    void badRequestsAreRefusedWithEveryFieldErrorAndNothingIsStored() {
        long runs = Rows.table("reconciliations");
        LocalDate tomorrow = LocalDate.now(Recon.ZONE).plusDays(1);

        post("{}").then().statusCode(400).body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", equalTo(List.of("date"))).body("errors.code", equalTo(List.of("REQUIRED")));
        post("{\"date\":\"2026-13-01\"}").then().statusCode(400).body("errors.code", equalTo(List.of("INVALID_FORMAT")));
        post("{\"date\":\"01-10-2026\"}").then().statusCode(400).body("errors.code", equalTo(List.of("INVALID_FORMAT")));
        post("{\"date\":20261001}").then().statusCode(400).body("errors.code", equalTo(List.of("WRONG_TYPE")));
        post("{\"date\":\"" + tomorrow + "\"}").then().statusCode(400)
                .body("errors.code", equalTo(List.of("DATE_IN_FUTURE")));
        post("{\"date\":\"2026-10-01\",\"reason\":5,\"dry_run\":true}").then().statusCode(400)
                .body("errors.field", hasItems("reason", "dry_run"))
                .body("errors.code", hasItems("WRONG_TYPE", "UNKNOWN_FIELD"));
        post("{\"date\":null,\"reason\":\"" + "x".repeat(501) + "\"}").then().statusCode(400)
                .body("errors.field", hasItems("date", "reason"))
                .body("errors.code", hasItems("REQUIRED", "INVALID_LENGTH"));
        post("{\"date\":").then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        post("[\"2026-10-01\"]").then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        post("{\"date\":\"2026-10-01\",\"date\":\"2026-10-02\"}").then().statusCode(400)
                .body("code", equalTo("MALFORMED_JSON"));

        Ledger.get(Ledger.ops(), "/v1/reconciliations?date=yesterday&page=-1&size=0").then().statusCode(400)
                .body("errors.field", equalTo(List.of("date", "page", "size")));
        Ledger.get(Ledger.ops(), "/v1/reconciliations?size=201").then().statusCode(400)
                .body("errors.field", equalTo(List.of("size")));
        Ledger.get(Ledger.ops(), "/v1/reconciliations/" + UUID.randomUUID()).then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        Ledger.get(Ledger.ops(), "/v1/reconciliations/not-a-uuid/mismatches").then().statusCode(404);

        assertThat(Rows.table("reconciliations")).isEqualTo(runs);
        assertThat(BankAdapterStub.calls(tomorrow)).isZero();
    }

    @Test
    void onlyOpsMayRunOrReadReconciliations() {
        long runs = Rows.table("reconciliations");
        String body = "{\"date\":\"2026-10-01\"}";
        for (String auth : new String[]{null, "Bearer " + io.payout.testsupport.Tokens.expired(Ledger.OPS),
                "Bearer " + io.payout.testsupport.Tokens.foreignSignature(Ledger.OPS)}) {
            Ledger.post(auth, "/v1/reconciliations", body).then().statusCode(401)
                    .contentType("application/problem+json")
                    .body("code", org.hamcrest.Matchers.in(java.util.List.of("UNAUTHORIZED", "TOKEN_EXPIRED", "TOKEN_INVALID")));
            Ledger.get(auth, "/v1/reconciliations").then().statusCode(401);
        }
        String client = Ledger.client(Recon.OWNER);
        // a service token of another service is not ops either
        String reader = "Bearer " + io.payout.testsupport.Tokens.forClient("ledger-service", "statement-reader");
        for (String auth : List.of(client, reader)) {
            Ledger.post(auth, "/v1/reconciliations", body).then().statusCode(403).body("code", equalTo("FORBIDDEN"));
            Ledger.get(auth, "/v1/reconciliations").then().statusCode(403);
            Ledger.get(auth, "/v1/reconciliations/" + UUID.randomUUID()).then().statusCode(403);
        }
        assertThat(Rows.table("reconciliations")).isEqualTo(runs);
    }

    @Test
    void theMismatchGaugeShowsTheLatestCompletedRunAndTheCountersMove() {
        LocalDate day = LocalDate.of(2026, 10, 10);
        String a = ref("M");
        String b = ref("M");
        settle(a, 10, day);
        settle(b, 20, day);
        settle(ref("M"), 30, day);
        BankAdapterStub.statement(day, List.of(line(a, 11), line(b, 20), line(b, 20), line(ref("M"), 5),
                line(ref("M"), 6)));
        double completed = Recon.metric("payout_reconciliation_runs_total", "status=\"COMPLETED\",trigger=\"MANUAL\"");
        double timed = Recon.metric("payout_reconciliation_duration_seconds_count",
                "status=\"COMPLETED\",trigger=\"MANUAL\"");

        JsonPath report = reconciled(day);

        assertThat(report.getMap("mismatch_counts")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MISSING_IN_LEDGER", 2, "MISSING_AT_BANK", 1, "AMOUNT_MISMATCH", 1, "DUPLICATE_AT_BANK", 1));
        assertThat(Recon.metric("payout_reconciliation_mismatches", "kind=\"MISSING_IN_LEDGER\"")).isEqualTo(2);
        assertThat(Recon.metric("payout_reconciliation_mismatches", "kind=\"MISSING_AT_BANK\"")).isEqualTo(1);
        assertThat(Recon.metric("payout_reconciliation_mismatches", "kind=\"AMOUNT_MISMATCH\"")).isEqualTo(1);
        assertThat(Recon.metric("payout_reconciliation_mismatches", "kind=\"DUPLICATE_AT_BANK\"")).isEqualTo(1);
        assertThat(Recon.metric("payout_reconciliation_runs_total", "status=\"COMPLETED\",trigger=\"MANUAL\""))
                .isEqualTo(completed + 1);
        assertThat(Recon.metric("payout_reconciliation_duration_seconds_count",
                "status=\"COMPLETED\",trigger=\"MANUAL\"")).isEqualTo(timed + 1);

        // a clean day completed later is what the gauge shows then
        LocalDate clean = LocalDate.of(2026, 10, 11);
        String c = ref("M");
        settle(c, 40, clean);
        BankAdapterStub.statement(clean, List.of(line(c, 40)));
        reconciled(clean);
        for (String kind : Recon.KINDS) {
            assertThat(Recon.metric("payout_reconciliation_mismatches", "kind=\"" + kind + "\"")).as(kind).isZero();
        }
    }

    @Test
    void releasesKeepTheirExternalRefAndSettlesTheirValueDate() {
        LocalDate day = LocalDate.of(2026, 10, 12);
        String settled = ref("VD");
        String released = ref("RELREF");
        UUID s = settle(settled, 100, day);
        UUID r = Recon.release(released, 100);
        assertThat(Rows.count("select count(*) from postings where transfer_id = ?::uuid and kind = 'SETTLE'"
                + " and external_ref = ? and value_date = ?::date", s.toString(), settled, day.toString())).isEqualTo(1);
        assertThat(Rows.count("select count(*) from postings where transfer_id = ?::uuid and kind = 'RELEASE'"
                + " and external_ref = ? and value_date is null", r.toString(), released)).isEqualTo(1);
    }

    private static Response post(String body) {
        return Ledger.post(Ledger.ops(), "/v1/reconciliations", body);
    }
}
