package io.payout.ledger;

import io.payout.ledger.BankAdapterStub.Line;
import io.payout.testsupport.Rows;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.publish;
import static io.restassured.RestAssured.given;

/**
 * Reconciliation fixtures: settles and releases through the real {@code ledger.commands} path (a hold first, as the
 * saga does), statement lines for the stub, and the API.
 */
final class Recon {
    static final ZoneId ZONE = ZoneId.of("Asia/Seoul");
    static final String OWNER = "client-recon";
    static final List<String> KINDS = List.of("MISSING_IN_LEDGER", "MISSING_AT_BANK", "AMOUNT_MISMATCH",
            "DUPLICATE_AT_BANK");
    private static final Map<String, String> ACCOUNTS = new java.util.concurrent.ConcurrentHashMap<>();

    private Recon() {
    }

    /** A funded account of {@link #OWNER} in the currency, shared by the tests of this JVM. */
    static String account(String currency) {
        return ACCOUNTS.computeIfAbsent(currency, c -> Ledger.account(OWNER, c, 1_000_000_000_000L));
    }

    static String ref(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    /** A transfer held and settled with this ref; {@code valueDate} null = an older producer that sends none. */
    static UUID settle(String ref, long amountMinor, String currency, LocalDate valueDate) {
        UUID transfer = hold(amountMinor, currency);
        awaitConsumed(publish("ledger.settle", transfer, "{\"transfer_id\":\"" + transfer + "\",\"amount_minor\":"
                + amountMinor + ",\"currency\":\"" + currency + "\",\"external_ref\":\"" + ref + "\""
                + (valueDate == null ? "" : ",\"value_date\":\"" + valueDate + "\"") + "}"));
        return transfer;
    }

    static UUID settle(String ref, long amountMinor, LocalDate valueDate) {
        return settle(ref, amountMinor, "KRW", valueDate);
    }

    /** A transfer held and released, the release carrying the ref (it had been dispatched). */
    static UUID release(String ref, long amountMinor) {
        UUID transfer = hold(amountMinor, "KRW");
        awaitConsumed(publish("ledger.release", transfer, "{\"transfer_id\":\"" + transfer + "\",\"amount_minor\":"
                + amountMinor + ",\"currency\":\"KRW\",\"external_ref\":\"" + ref + "\"}"));
        return transfer;
    }

    private static UUID hold(long amountMinor, String currency) {
        UUID transfer = UUID.randomUUID();
        awaitConsumed(publish("ledger.hold", transfer,
                Ledger.holdPayload(transfer, OWNER, account(currency), amountMinor, currency)));
        return transfer;
    }

    static Line line(String ref, long amountMinor) {
        return new Line(ref, amountMinor, "KRW");
    }

    // --- the API ---

    static Response reconcile(LocalDate date) {
        return Ledger.post(Ledger.ops(), "/v1/reconciliations", "{\"date\":\"" + date + "\"}");
    }

    /** POSTs and expects a completed run; its report. */
    static JsonPath reconciled(LocalDate date) {
        Response r = reconcile(date);
        r.then().statusCode(201);
        return r.jsonPath();
    }

    static long runsOf(LocalDate date) {
        return Rows.count("select count(*) from reconciliations where value_date = ?::date", date.toString());
    }

    /** The mismatches of a report as kind → ref, in report order. */
    static List<String> kindsAndRefs(JsonPath report) {
        return kindsAndRefs(report, "mismatches");
    }

    /** The same for a list at another path (e.g. a mismatch page's {@code items}). */
    static List<String> kindsAndRefs(JsonPath json, String path) {
        List<Map<String, Object>> list = json.getList(path);
        return list.stream().map(m -> m.get("kind") + " " + m.get("external_ref")).toList();
    }

    /** A Prometheus sample's value: {@code name{labels…}} (labels as printed, sorted by name), or 0 when absent. */
    static double metric(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(l -> l.startsWith(name + "{" + labels))
                // the value follows the labels; an exemplar (" # {trace_id=…} 1.0 <timestamp>") may follow it
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf("} ") + 2).split(" ")[0]))
                .findFirst().orElse(0);
    }
}
