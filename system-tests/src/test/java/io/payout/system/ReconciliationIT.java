package io.payout.system;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.payout.system.BankFaults.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §4 reconciliation end to end: the ledger fetches the sandbox bank's statement through bank-adapter and matches
 * it with its settle postings. The day is the shared stack's whole day (every suite's transfers), so "a clean day"
 * is proven over everything the other suites did, and the injected anomalies must be exactly what is reported.
 */
@ExtendWith(SharedStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconciliationIT {
    private static Payout payout;
    private static Invariants invariants;
    private static BankFaults faults;

    @BeforeAll
    static void clients() throws Exception {
        payout = new Payout(SharedStack.stack());
        invariants = new Invariants(payout);
        faults = new BankFaults(SharedStack.stack());
    }

    @AfterEach
    void invariantsHold() {
        invariants.check();
    }

    @AfterAll
    static void clearAmendments() {
        faults.clear();
        payout.sandbox().when().delete("/sandbox/statement-amendments").then().statusCode(204);
    }

    @Test
    @Order(1)
    void aCleanDayReconcilesWithZeroMismatches() {
        Settled t = settled("15000");
        invariants.everyTransferReachesAnEnd();

        JsonPath report = reconcile(t.valueDate());

        long settledToday = payout.count("transfer",
                "select count(*) from transfers where state = 'SETTLED' and value_date = ?::date", t.valueDate());
        assertThat(report.getString("status")).isEqualTo("COMPLETED");
        assertThat(report.getList("mismatches")).isEmpty();
        assertThat(report.getMap("mismatch_counts")).containsOnly(Map.entry("MISSING_IN_LEDGER", 0),
                Map.entry("MISSING_AT_BANK", 0), Map.entry("AMOUNT_MISMATCH", 0), Map.entry("DUPLICATE_AT_BANK", 0));
        assertThat(report.getLong("matched")).isEqualTo(settledToday).isGreaterThanOrEqualTo(1);
        assertThat(report.getLong("bank_lines")).isEqualTo(settledToday);
        assertThat(report.getLong("ledger_settles")).isEqualTo(settledToday);
    }

    @Test
    @Order(2)
    void eachInjectedAnomalyIsReportedExactlyOnceAndRerunsAgree() throws Exception {
        // DUPLICATE_AT_BANK: a buggy bank withdraws again on each retry of one ref; the answer is lost every time
        faults.set(11, rule("ignore_duplicate_ref", 1.0), rule("drop_response_after_commit", 1.0));
        Settled duplicated;
        try {
            duplicated = settled("11000");
        } finally {
            faults.clear();
        }
        int withdrawals = payout.executions().get(duplicated.ref());
        assertThat(withdrawals).as("the buggy bank paid the retried ref more than once").isGreaterThan(1);

        // MISSING_IN_LEDGER: the bank rejected it (we FAILED and released), then executed it late anyway
        Terminal rejected = transfer("12345678900000", "12000");
        assertThat(rejected.state()).isEqualTo("FAILED");
        payout.sandbox().when().post("/sandbox/executions/" + rejected.ref() + "/force").then().statusCode(200);

        // AMOUNT_MISMATCH: the statement shows another amount than the bank paid and we settled
        Settled misreported = settled("13000");
        amend("{\"bank_tran_id\":\"" + misreported.ref() + "\",\"amount\":13001}");

        // MISSING_AT_BANK: we settled, the statement has no line for it
        Settled omitted = settled("14000");
        amend("{\"bank_tran_id\":\"" + omitted.ref() + "\",\"omit\":true}");

        JsonPath report = reconcile(omitted.valueDate());

        assertThat(report.getString("status")).isEqualTo("COMPLETED");
        List<Map<String, Object>> mismatches = report.getList("mismatches");
        assertThat(mismatches).extracting(m -> m.get("kind"), m -> m.get("external_ref"), m -> m.get("transfer_id"),
                        m -> m.get("ledger_amount"), m -> m.get("bank_amount"), m -> m.get("bank_count"))
                .containsExactlyInAnyOrder(
                        tuple("DUPLICATE_AT_BANK", duplicated.ref(), duplicated.id(), "11000", "11000", withdrawals),
                        tuple("MISSING_IN_LEDGER", rejected.ref(), rejected.id(), null, "12000", 1),
                        tuple("AMOUNT_MISMATCH", misreported.ref(), misreported.id(), "13000", "13001", 1),
                        tuple("MISSING_AT_BANK", omitted.ref(), omitted.id(), "14000", null, 0));
        assertThat(report.getMap("mismatch_counts")).containsOnly(Map.entry("MISSING_IN_LEDGER", 1),
                Map.entry("MISSING_AT_BANK", 1), Map.entry("AMOUNT_MISMATCH", 1), Map.entry("DUPLICATE_AT_BANK", 1));
        for (String kind : List.of("MISSING_IN_LEDGER", "MISSING_AT_BANK", "AMOUNT_MISMATCH", "DUPLICATE_AT_BANK")) {
            assertThat(payout.metric("payout_reconciliation_mismatches", "kind=\"" + kind + "\"")).as(kind).isEqualTo(1.0);
        }

        JsonPath again = reconcile(omitted.valueDate());
        assertThat(again.getString("id")).isNotEqualTo(report.getString("id"));
        assertThat((Object) again.get("mismatches")).isEqualTo(report.get("mismatches"));
        assertThat(again.getLong("matched")).isEqualTo(report.getLong("matched"));

        // the sample report quoted in the closing note
        Files.writeString(Path.of("target", "reconciliation-sample.json"), again.prettify());
    }

    // --- helpers ---

    record Terminal(String id, String ref, String state, String valueDate) {
    }

    record Settled(String id, String ref, String valueDate) {
    }

    private Settled settled(String amount) {
        Terminal t = transfer("12345678901234", amount);
        assertThat(t.state()).isEqualTo("SETTLED");
        return new Settled(t.id(), t.ref(), t.valueDate());
    }

    private Terminal transfer(String accountNumber, String amount) {
        Payout.Finished t = payout.transferToTheEnd(accountNumber, amount);
        // the ledger's settle/release follows the final state by one message
        await().atMost(Payout.SETTLE_WAIT).until(() -> payout.count("ledger",
                "select count(*) from postings where transfer_id = ?::uuid and kind in ('SETTLE', 'RELEASE')", t.id()) == 1);
        return new Terminal(t.id(), t.externalRef(), t.state(), t.valueDate());
    }

    private static void amend(String amendment) {
        payout.sandbox().contentType("application/json").body(amendment)
                .when().post("/sandbox/statement-amendments").then().statusCode(200);
    }

    private static JsonPath reconcile(String date) {
        return payout.ops("ledger").contentType("application/json")
                .body("{\"date\":\"" + date + "\",\"reason\":\"system test\"}")
                .when().post("/v1/reconciliations").then().statusCode(201).extract().jsonPath();
    }
}
