package io.payout.system;

import io.payout.system.BadInput.Answer;
import io.payout.system.BadInput.Auth;
import io.payout.system.BadInput.Call;
import io.payout.system.BadInput.Case;
import io.payout.system.BadInput.Check;
import io.payout.system.BadInput.Context;
import io.payout.system.BadInput.Expect;
import io.payout.system.BadInput.Signing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.payout.system.BadInput.Auth.CLIENT_A;
import static io.payout.system.BadInput.Auth.CLIENT_B;
import static io.payout.system.BadInput.Auth.NONE;
import static io.payout.system.BadInput.Auth.OPS;
import static io.payout.system.BadInput.Expect.answered;
import static io.payout.system.BadInput.Expect.harmless;
import static io.payout.system.BadInput.Expect.invalid;
import static io.payout.system.BadInput.Expect.problem;
import static io.payout.system.BadInput.REMOVE;
import static io.payout.system.BadInput.bad;
import static io.payout.system.BadInput.challenge;
import static io.payout.system.BadInput.edit;
import static io.payout.system.BadInput.field;
import static io.payout.system.BadInput.noHeader;
import static io.payout.system.BadInput.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7: every public endpoint of the four services refuses bad input with its documented problem (status,
 * {@code application/problem+json}, stable code, every field error, the trace id) and writes nothing: before and
 * after each case the row count of every table of the four databases, the messages published on the broker and the
 * bank's executions are equal ({@link WriteSnapshot}). Where a dangerous-looking string is a valid value, the case
 * proves it is stored verbatim and harmless instead. A new case is one line in {@link #cases()}.
 */
@ExtendWith(SharedStack.class)
class BadInputIT {
    private static final String TRANSFER = """
            {"source_account":"{A_ACCOUNT}","destination":{"bank_code":"004","account_number":"12345678901234"},
             "amount":"1000","currency":"KRW","memo":"bad input"}""";
    private static final String RESULT = """
            {"type":"transfer.result","data":{"bank_tran_id":"T000000000U000000000","status":"SUCCEEDED",
             "amount":1000,"currency":"KRW","reason":null}}""";
    private static final String OPEN_ACCOUNT = """
            {"id":"acc-bad-input","currency":"KRW","owner":"someone"}""";
    private static final String DEPOSIT = """
            {"amount":"100","reference":"dep-bad-{NEW}"}""";
    /** 2^63: one more than the largest minor-unit amount a long holds. */
    private static final String TWO_POW_63 = "9223372036854775808";

    private static Payout payout;
    private static WriteSnapshot snapshots;
    private static Context context;

    static List<Case> cases() {
        List<Case> t = new ArrayList<>();
        Call post = Call.postTransfer(TRANSFER);

        // ---- transfer-service POST /v1/transfers: shape ----
        t.add(bad("malformed JSON is MALFORMED_JSON",
                post.json("{\"source_account\":"), problem(400, "MALFORMED_JSON")));
        t.add(bad("an empty body is MALFORMED_JSON", post.json(""), problem(400, "MALFORMED_JSON")));
        t.add(bad("a JSON array is not an object", post.json("[]"), problem(400, "MALFORMED_JSON")));
        t.add(bad("trailing content after the object is refused",
                post.json(edit(TRANSFER) + "{}"), problem(400, "MALFORMED_JSON")));
        t.add(bad("a duplicate key is refused, not last-wins",
                post.json(TRANSFER.replace("\"amount\":\"1000\"", "\"amount\":\"1\",\"amount\":\"1000\"")),
                problem(400, "MALFORMED_JSON")));
        t.add(bad("an unescaped control character inside a string is not JSON",
                post.json(TRANSFER.replace("bad input", "bad\tinput")), problem(400, "MALFORMED_JSON")));
        t.add(bad("text/plain is UNSUPPORTED_MEDIA_TYPE",
                post.body("text/plain", edit(TRANSFER)), problem(415, "UNSUPPORTED_MEDIA_TYPE")));
        t.add(bad("XML is UNSUPPORTED_MEDIA_TYPE",
                post.body("application/xml", "<transfer/>"), problem(415, "UNSUPPORTED_MEDIA_TYPE")));
        t.add(bad("no Content-Type is read by the same strict JSON reader: {} lists every field", post.body(null, "{}"),
                invalid("source_account:REQUIRED", "destination:REQUIRED", "amount:REQUIRED",
                        "currency:REQUIRED")));
        t.add(bad("{} lists every required field", post.json("{}"), invalid(
                "source_account:REQUIRED", "destination:REQUIRED", "amount:REQUIRED", "currency:REQUIRED")));
        t.add(bad("JSON nulls are missing fields",
                post.json(edit(TRANSFER, "source_account", raw("null"), "amount", raw("null"))),
                invalid("source_account:REQUIRED", "amount:REQUIRED")));
        t.add(bad("wrong JSON types are listed field by field",
                post.json(edit(TRANSFER, "source_account", true, "destination", "004",
                        "amount", 1000, "currency", raw("[\"KRW\"]"), "memo", raw("{}"))),
                invalid("source_account:WRONG_TYPE", "destination:WRONG_TYPE",
                        "amount:WRONG_TYPE", "currency:WRONG_TYPE", "memo:WRONG_TYPE")));
        t.add(bad("an empty destination lists both of its fields", post.json(edit(TRANSFER, "destination", raw("{}"))),
                invalid("destination.bank_code:REQUIRED", "destination.account_number:REQUIRED")));
        t.add(bad("unknown fields are refused at every level",
                post.json(edit(TRANSFER, "priority", "high", "destination.iban", "DE00")),
                invalid("priority:UNKNOWN_FIELD", "destination.iban:UNKNOWN_FIELD")));

        // ---- amounts: boundaries and spellings ----
        for (String[] a : new String[][]{
                {"0", "TOO_SMALL"}, {"-1", "INVALID_FORMAT"}, {"100000001", "TOO_LARGE"}, {TWO_POW_63, "TOO_LARGE"},
                {"9".repeat(31), "TOO_LARGE"}, {"1.5", "TOO_MANY_DECIMALS"}, {"1e3", "INVALID_FORMAT"},
                {"1,000", "INVALID_FORMAT"}, {"01000", "INVALID_FORMAT"}, {" 1000", "INVALID_FORMAT"},
                {"NaN", "INVALID_FORMAT"}, {"１０００", "INVALID_FORMAT"}, {"+1000", "INVALID_FORMAT"}}) {
            t.add(bad("amount \"" + a[0] + "\" is " + a[1], post.json(edit(TRANSFER, "amount", a[0])),
                    invalid("amount:" + a[1])));
        }
        t.add(bad("amount 100000000 (the KRW maximum) passes the amount check: only the bank code is wrong",
                post.json(edit(TRANSFER, "amount", "100000000", "destination.bank_code", "4")),
                invalid("destination.bank_code:INVALID_FORMAT")));
        t.add(bad("USD allows 2 decimals, not 3", post.json(edit(TRANSFER, "amount", "1.005", "currency", "USD")),
                invalid("amount:TOO_MANY_DECIMALS")));

        // ---- currencies, bank codes, account numbers ----
        t.add(bad("a code that is not ISO 4217 is UNKNOWN_CURRENCY", post.json(edit(TRANSFER, "currency", "XYZ")),
                invalid("currency:UNKNOWN_CURRENCY")));
        t.add(bad("a 2-letter currency is INVALID_FORMAT", post.json(edit(TRANSFER, "currency", "KR")),
                invalid("currency:INVALID_FORMAT")));
        t.add(bad("full-width ＫＲＷ is not KRW", post.json(edit(TRANSFER, "currency", "ＫＲＷ")),
                invalid("currency:INVALID_FORMAT")));
        t.add(bad("a valid ISO currency not offered is 422 UNSUPPORTED_CURRENCY",
                post.json(edit(TRANSFER, "currency", "EUR")),
                problem(422, "UNSUPPORTED_CURRENCY")));
        for (String code : List.of("04", "0044", "abc", "٠٠٤")) {
            t.add(bad("bank code \"" + code + "\" is INVALID_FORMAT",
                    post.json(edit(TRANSFER, "destination.bank_code", code)),
                    invalid("destination.bank_code:INVALID_FORMAT")));
        }
        t.add(bad("5 digits are too few for an account number",
                post.json(edit(TRANSFER, "destination.account_number", "12345")),
                invalid("destination.account_number:INVALID_LENGTH")));
        t.add(bad("21 digits are too many for an account number",
                post.json(edit(TRANSFER, "destination.account_number", "1".repeat(21))),
                invalid("destination.account_number:INVALID_LENGTH")));
        t.add(bad("letters in an account number are INVALID_FORMAT",
                post.json(edit(TRANSFER, "destination.account_number", "1234-5678-abcd")),
                invalid("destination.account_number:INVALID_FORMAT")));

        // ---- injection strings and unicode where the format forbids them ----
        for (String[] s : new String[][]{{"SQL", "acc' OR '1'='1"}, {"path traversal", "../../etc/passwd"},
                {"template", "{{7*7}}${7*7}"}, {"HTML", "<script>alert(1)</script>"}, {"RTL override", "acc\u202E1"},
                {"zero-width space", "acc\u200B1"}, {"NUL", "acc\u00001"}, {"65 characters", "a".repeat(65)}}) {
            t.add(bad(s[0] + " in source_account is INVALID_FORMAT", post.json(edit(TRANSFER, "source_account", s[1])),
                    invalid("source_account:INVALID_FORMAT")));
        }
        t.add(bad("an escaped NUL in memo is INVALID_CHARACTERS (PostgreSQL cannot store it)",
                post.json(edit(TRANSFER, "memo", raw("\"a\\u0000b\""))), invalid("memo:INVALID_CHARACTERS")));
        t.add(bad("a lone surrogate in memo is INVALID_CHARACTERS",
                post.json(edit(TRANSFER, "memo", raw("\"a\\ud800b\""))),
                invalid("memo:INVALID_CHARACTERS")));
        t.add(bad("CR LF in memo is INVALID_CHARACTERS", post.json(edit(TRANSFER, "memo", "a\r\nSet-Cookie: x=y")),
                invalid("memo:INVALID_CHARACTERS")));
        t.add(bad("141 emoji are 141 code points: TOO_LONG (limit 140)",
                post.json(edit(TRANSFER, "memo", "💸".repeat(141))),
                invalid("memo:TOO_LONG")));
        t.add(bad("141 ASCII characters are TOO_LONG", post.json(edit(TRANSFER, "memo", "m".repeat(141))),
                invalid("memo:TOO_LONG")));

        // ---- the Idempotency-Key header ----
        t.add(bad("no Idempotency-Key is REQUIRED", post.header("Idempotency-Key", null),
                invalid("Idempotency-Key:REQUIRED")));
        t.add(bad("a 256-character Idempotency-Key is INVALID_FORMAT", post.header("Idempotency-Key", "k".repeat(256)),
                invalid("Idempotency-Key:INVALID_FORMAT")));
        t.add(bad("a space in the Idempotency-Key is INVALID_FORMAT", post.header("Idempotency-Key", "two words"),
                invalid("Idempotency-Key:INVALID_FORMAT")));
        t.add(bad("a tab in the Idempotency-Key is INVALID_FORMAT", post.header("Idempotency-Key", "tab\tkey"),
                invalid("Idempotency-Key:INVALID_FORMAT")));
        t.add(bad("A's key with another intent is IDEMPOTENCY_KEY_REUSED",
                post.header("Idempotency-Key", "{A_KEY}").json(edit(TRANSFER, "amount", "999")),
                problem(422, "IDEMPOTENCY_KEY_REUSED")));

        // ---- sizes: the app's 16 KiB cap, and the platform's request limits (before the body is read) ----
        t.add(bad("a body over 16 KiB is PAYLOAD_TOO_LARGE", post.json(edit(TRANSFER, "memo", "m".repeat(16_400))),
                problem(413, "PAYLOAD_TOO_LARGE")));
        t.add(bad("a body over 1 MiB is PAYLOAD_TOO_LARGE", post.json(edit(TRANSFER, "memo", "m".repeat(1_100_000))),
                problem(413, "PAYLOAD_TOO_LARGE")));
        t.add(bad("headers over 16 KiB are HEADERS_TOO_LARGE", post.header("X-Padding", "h".repeat(20_000)),
                problem(431, "HEADERS_TOO_LARGE")));
        t.add(bad("a request target over 4 KiB is URI_TOO_LONG",
                Call.to("transfer", "GET", "/v1/transfers?idempotency_key=" + "u".repeat(5_000), CLIENT_A),
                problem(414, "URI_TOO_LONG")));

        // ---- tokens ----
        for (Auth a : List.of(NONE, Auth.EXPIRED, Auth.WRONG_ISSUER, Auth.FOREIGN_SIGNATURE, Auth.UNSIGNED,
                Auth.NO_AUDIENCE, Auth.GARBAGE)) {
            String code = a == NONE ? "UNAUTHORIZED" : a == Auth.EXPIRED ? "TOKEN_EXPIRED" : "TOKEN_INVALID";
            t.add(bad("token " + a + " is " + code,
                    post.as(a), problem(401, code).then(challenge("Bearer"))));
        }

        // ---- transfer-service reads: other clients, malformed ids ----
        Call getA = Call.to("transfer", "GET", "/v1/transfers/{A_TRANSFER}", CLIENT_B);
        t.add(bad("client B cannot read A's transfer: NOT_FOUND", getA, problem(404, "NOT_FOUND")));
        t.add(bad("client B cannot find A's transfer by A's key: NOT_FOUND",
                Call.to("transfer", "GET", "/v1/transfers?idempotency_key={A_KEY}", CLIENT_B),
                problem(404, "NOT_FOUND")));
        t.add(bad("a malformed transfer id is NOT_FOUND",
                getA.as(CLIENT_A).with("/v1/transfers/not-a-uuid"), problem(404, "NOT_FOUND")));
        t.add(bad("an encoded path traversal as transfer id is NOT_FOUND",
                getA.as(CLIENT_A).with("/v1/transfers/..%2F..%2Fetc%2Fpasswd"), problem(404, "NOT_FOUND")));
        t.add(bad("GET without idempotency_key lists it as REQUIRED", getA.as(CLIENT_A).with("/v1/transfers"),
                invalid("idempotency_key:REQUIRED")));
        t.add(bad("CR LF in a query parameter comes back as no header",
                getA.as(CLIENT_A).with("/v1/transfers?idempotency_key=x%0D%0ASet-Cookie:%20injected=1"),
                problem(404, "NOT_FOUND").then(noHeader("Set-Cookie"))));
        t.add(bad("an expired token cannot read: TOKEN_EXPIRED", getA.as(Auth.EXPIRED), problem(401, "TOKEN_EXPIRED")));
        t.add(bad("DELETE on a transfer is METHOD_NOT_ALLOWED",
                getA.as(CLIENT_A).method("DELETE"), problem(405, "METHOD_NOT_ALLOWED")));

        // ---- transfer-service ops ----
        Call stuck = Call.to("transfer", "GET", "/v1/ops/transfers/stuck?older_than=PT5M", OPS);
        t.add(bad("a client token on an ops endpoint is FORBIDDEN", stuck.as(CLIENT_A), problem(403, "FORBIDDEN")));
        t.add(bad("older_than that is not an ISO duration is INVALID_FORMAT",
                stuck.with("/v1/ops/transfers/stuck?older_than=5%20minutes"),
                invalid("older_than:INVALID_FORMAT")));
        t.add(bad("a negative older_than is OUT_OF_RANGE", stuck.with("/v1/ops/transfers/stuck?older_than=-PT5M"),
                invalid("older_than:OUT_OF_RANGE")));
        t.add(bad("stuck size 0 is OUT_OF_RANGE", stuck.with("/v1/ops/transfers/stuck?older_than=PT5M&size=0"),
                invalid("size:OUT_OF_RANGE")));
        t.add(bad("stuck size \"ten\" is OUT_OF_RANGE", stuck.with("/v1/ops/transfers/stuck?older_than=PT5M&size=ten"),
                invalid("size:OUT_OF_RANGE")));
        t.add(bad("anomalies for a malformed transfer_id is INVALID_FORMAT",
                stuck.with("/v1/ops/anomalies?transfer_id=not-a-uuid"),
                invalid("transfer_id:INVALID_FORMAT")));

        // ---- valid values that look dangerous: stored verbatim, harmless ----
        for (String[] s : new String[][]{{"SQL", "'); DROP TABLE transfers; --"},
                {"HTML and template", "<img src=x onerror=alert(1)>{{7*7}}${7*7}"},
                {"RTL override and zero-width", "pay \u202Eevil\u202C\u200Bme"}, {"non-NFC", "Cafe\u0301 vs Caf\u00e9"},
                {"140 emoji (280 UTF-16 units)", "💸".repeat(140)}}) {
            t.add(bad(s[0] + " in memo is stored verbatim", post.json(edit(TRANSFER, "amount", "1", "memo", s[1])),
                    harmless(201, memoStoredVerbatim(s[1]))));
        }
        t.add(bad("a SQL-looking Idempotency-Key is just a key", post.header("Idempotency-Key", "'OR'1'='1';--{NEW}")
                .json(edit(TRANSFER, "amount", "1")), harmless(201, keyStoredVerbatim())));
        t.add(bad("client B spending A's account is accepted, then FAILED without touching A's money",
                post.as(CLIENT_B).json(edit(TRANSFER, "amount", "1")), harmless(201, failsWithoutPostings())));

        // ---- ledger: accounts ----
        Call open = Call.to("ledger", "POST", "/v1/accounts", OPS).json(OPEN_ACCOUNT);
        t.add(bad("opening an account needs ops: FORBIDDEN", open.as(CLIENT_A), problem(403, "FORBIDDEN")));
        t.add(bad("opening an account without a token: UNAUTHORIZED",
                open.as(NONE), problem(401, "UNAUTHORIZED").then(challenge("Bearer"))));
        t.add(bad("{} lists every account field", open.json("{}"),
                invalid("id:REQUIRED", "currency:REQUIRED", "owner:REQUIRED")));
        t.add(bad("wrong types and an unknown field are all listed",
                open.json("{\"id\":1,\"currency\":true,\"owner\":[],\"kind\":\"SYSTEM\"}"),
                invalid("id:WRONG_TYPE", "currency:WRONG_TYPE", "owner:WRONG_TYPE", "kind:UNKNOWN_FIELD")));
        t.add(bad("a system account id (with ':') is INVALID_FORMAT", open.json(edit(OPEN_ACCOUNT, "id", "holds:KRW")),
                invalid("id:INVALID_FORMAT")));
        t.add(bad("SQL in an account id is INVALID_FORMAT",
                open.json(edit(OPEN_ACCOUNT, "id", "a'; DROP TABLE entries; --")),
                invalid("id:INVALID_FORMAT")));
        t.add(bad("an owner with a space or NUL is INVALID_FORMAT", open.json(edit(OPEN_ACCOUNT, "owner", "a b\u0000")),
                invalid("owner:INVALID_FORMAT")));
        t.add(bad("a currency the ledger does not keep is 422 UNSUPPORTED_CURRENCY",
                open.json(edit(OPEN_ACCOUNT, "currency", "EUR")),
                problem(422, "UNSUPPORTED_CURRENCY")));
        t.add(bad("A's account id with another owner is 409 ACCOUNT_EXISTS",
                open.json(edit(OPEN_ACCOUNT, "id", "{A_ACCOUNT}")),
                problem(409, "ACCOUNT_EXISTS")));
        t.add(bad("a body over 16 KiB is PAYLOAD_TOO_LARGE", open.json(edit(OPEN_ACCOUNT, "owner", "o".repeat(16_400))),
                problem(413, "PAYLOAD_TOO_LARGE")));
        t.add(bad("text/plain is UNSUPPORTED_MEDIA_TYPE",
                open.body("text/plain", OPEN_ACCOUNT), problem(415, "UNSUPPORTED_MEDIA_TYPE")));
        t.add(bad("a SQL-looking owner is visible ASCII: stored verbatim",
                open.json(edit(OPEN_ACCOUNT, "id", "acc-inj-{NEW}", "owner", "x';DROP/**/TABLE/**/accounts;--")),
                harmless(201, ownerStoredVerbatim("x';DROP/**/TABLE/**/accounts;--"))));

        // ---- ledger: deposits ----
        Call deposit = Call.to("ledger", "POST", "/v1/accounts/{A_ACCOUNT}/deposits", OPS).json(DEPOSIT);
        t.add(bad("a deposit needs ops: FORBIDDEN (even the owner)", deposit.as(CLIENT_A), problem(403, "FORBIDDEN")));
        t.add(bad("deposit {} lists both fields",
                deposit.json("{}"), invalid("amount:REQUIRED", "reference:REQUIRED")));
        for (String[] a : new String[][]{{"0", "TOO_SMALL"}, {"-1", "INVALID_FORMAT"}, {"1.5", "TOO_MANY_DECIMALS"},
                {TWO_POW_63, "TOO_LARGE"}, {"1E2", "INVALID_FORMAT"}}) {
            t.add(bad("deposit amount \"" + a[0] + "\" is " + a[1], deposit.json(edit(DEPOSIT, "amount", a[0])),
                    invalid("amount:" + a[1])));
        }
        t.add(bad("a numeric deposit amount is WRONG_TYPE", deposit.json(edit(DEPOSIT, "amount", 100)),
                invalid("amount:WRONG_TYPE")));
        t.add(bad("a deposit into an unknown account is NOT_FOUND",
                deposit.with("/v1/accounts/no-such-account/deposits"), problem(404, "NOT_FOUND")));
        t.add(bad("a deposit into a system account is NOT_FOUND",
                deposit.with("/v1/accounts/funding:KRW/deposits"), problem(404, "NOT_FOUND")));
        t.add(bad("A's deposit reference with another amount is 409 DEPOSIT_REFERENCE_REUSED",
                deposit.json("{\"amount\":\"5\",\"reference\":\"dep-{A_ACCOUNT}\"}"),
                problem(409, "DEPOSIT_REFERENCE_REUSED")));

        // ---- ledger: reads ----
        Call account = Call.to("ledger", "GET", "/v1/accounts/{A_ACCOUNT}", CLIENT_B);
        t.add(bad("client B cannot read A's account: NOT_FOUND", account, problem(404, "NOT_FOUND")));
        t.add(bad("client B cannot read A's balance: NOT_FOUND",
                account.with("/v1/accounts/{A_ACCOUNT}/balance"), problem(404, "NOT_FOUND")));
        t.add(bad("client B cannot read A's entries: NOT_FOUND",
                account.with("/v1/accounts/{A_ACCOUNT}/entries"), problem(404, "NOT_FOUND")));
        t.add(bad("a client cannot read a system account: NOT_FOUND",
                account.as(CLIENT_A).with("/v1/accounts/holds:KRW"), problem(404, "NOT_FOUND")));
        t.add(bad("an encoded path traversal as account id is NOT_FOUND",
                account.as(OPS).with("/v1/accounts/..%2F..%2Fetc%2Fpasswd"),
                problem(404, "NOT_FOUND")));
        t.add(bad("as_of without an offset is INVALID_FORMAT",
                account.as(CLIENT_A).with("/v1/accounts/{A_ACCOUNT}/balance?as_of=2026-11-21T09:30:00"),
                invalid("as_of:INVALID_FORMAT")));
        t.add(bad("as_of \"yesterday\" is INVALID_FORMAT",
                account.as(CLIENT_A).with("/v1/accounts/{A_ACCOUNT}/balance?as_of=yesterday"),
                invalid("as_of:INVALID_FORMAT")));
        for (String[] q : new String[][]{{"size=0", "size"}, {"size=-1", "size"}, {"size=201", "size"},
                {"size=ten", "size"},
                {"page=-1", "page"}, {"page=2147483648", "page"}}) {
            t.add(bad("entries " + q[0] + " is OUT_OF_RANGE",
                    account.as(CLIENT_A).with("/v1/accounts/{A_ACCOUNT}/entries?" + q[0]),
                    invalid(q[1] + ":OUT_OF_RANGE")));
        }
        t.add(bad("entries page=-1&size=x lists both",
                account.as(CLIENT_A).with("/v1/accounts/{A_ACCOUNT}/entries?page=-1&size=x"),
                invalid("page:OUT_OF_RANGE", "size:OUT_OF_RANGE")));
        t.add(bad("ledger totals need ops: FORBIDDEN",
                Call.to("ledger", "GET", "/v1/ledger/totals", CLIENT_A), problem(403, "FORBIDDEN")));
        t.add(bad("postings of a malformed transfer id is INVALID_FORMAT",
                Call.to("ledger", "GET", "/v1/transfers/x'--/postings", OPS),
                invalid("transfer_id:INVALID_FORMAT")));
        t.add(bad("postings need ops: FORBIDDEN",
                Call.to("ledger", "GET", "/v1/transfers/{A_TRANSFER}/postings", CLIENT_A),
                problem(403, "FORBIDDEN")));

        // ---- ledger: reconciliations ----
        Call reconcile = Call.to("ledger", "POST", "/v1/reconciliations", OPS).json("{\"date\":\"2026-11-21\"}");
        t.add(bad("a reconciliation needs ops: FORBIDDEN", reconcile.as(CLIENT_A), problem(403, "FORBIDDEN")));
        t.add(bad("reconciliation {} is date REQUIRED", reconcile.json("{}"), invalid("date:REQUIRED")));
        t.add(bad("2026-02-30 is INVALID_FORMAT",
                reconcile.json("{\"date\":\"2026-02-30\"}"), invalid("date:INVALID_FORMAT")));
        t.add(bad("a date in 2999 is DATE_IN_FUTURE",
                reconcile.json("{\"date\":\"2999-01-01\"}"), invalid("date:DATE_IN_FUTURE")));
        t.add(bad("wrong types, unknown fields, a long reason: all listed",
                reconcile.json("{\"date\":20261121,\"reason\":\"" + "r".repeat(600) + "\",\"force\":true}"),
                invalid("date:WRONG_TYPE", "reason:INVALID_LENGTH", "force:UNKNOWN_FIELD")));
        t.add(bad("a reconciliation body that is not JSON is MALFORMED_JSON",
                reconcile.json("date=2026-11-21"), problem(400, "MALFORMED_JSON")));
        t.add(bad("an unknown reconciliation is NOT_FOUND",
                reconcile.method("GET").with("/v1/reconciliations/" + UUID.randomUUID()),
                problem(404, "NOT_FOUND")));
        t.add(bad("a malformed reconciliation id is NOT_FOUND",
                reconcile.method("GET").with("/v1/reconciliations/1%20OR%201=1"),
                problem(404, "NOT_FOUND")));
        t.add(bad("reconciliations size=201 and date=garbage are both listed",
                reconcile.method("GET").with("/v1/reconciliations?size=201&date=garbage"),
                invalid("size:OUT_OF_RANGE", "date:INVALID_FORMAT")));

        // ---- bank-adapter ----
        Call dispatch = Call.to("bank_adapter", "GET", "/v1/dispatches/{A_TRANSFER}", CLIENT_A);
        t.add(bad("a dispatch needs ops: FORBIDDEN (even for the client's own transfer)",
                dispatch, problem(403, "FORBIDDEN")));
        t.add(bad("a malformed dispatch id is INVALID_FORMAT", dispatch.as(OPS).with("/v1/dispatches/not-a-uuid"),
                invalid("transfer_id:INVALID_FORMAT")));
        t.add(bad("an unknown dispatch is DISPATCH_NOT_FOUND",
                dispatch.as(OPS).with("/v1/dispatches/" + UUID.randomUUID()),
                problem(404, "DISPATCH_NOT_FOUND")));
        t.add(bad("dispatch lookup without external_ref is REQUIRED", dispatch.as(OPS).with("/v1/dispatches"),
                invalid("external_ref:REQUIRED")));
        t.add(bad("a SQL-looking external_ref finds nothing: DISPATCH_NOT_FOUND",
                dispatch.as(OPS).with("/v1/dispatches?external_ref=%27%20OR%20%271%27=%271"),
                problem(404, "DISPATCH_NOT_FOUND")));
        Call statement = Call.to("bank_adapter", "GET", "/v1/bank-statements?date=2026-11-21", CLIENT_A);
        t.add(bad("a statement needs ops or statement-reader: FORBIDDEN", statement, problem(403, "FORBIDDEN")));
        t.add(bad("2026-02-30 is INVALID_DATE",
                statement.as(Auth.STATEMENT_READER).with("/v1/bank-statements?date=2026-02-30"),
                invalid("date:INVALID_DATE")));
        t.add(bad("no date, page -1, size 5001: all three listed",
                statement.as(OPS).with("/v1/bank-statements?page=-1&size=5001"),
                invalid("date:INVALID_DATE", "page:OUT_OF_RANGE", "size:OUT_OF_RANGE")));
        t.add(bad("a SQL-looking date is INVALID_DATE",
                statement.as(OPS).with("/v1/bank-statements?date=2026-11-21%27%20OR%201=1--"),
                invalid("date:INVALID_DATE")));

        // ---- webhook-service: Standard Webhooks ----
        Call hook = Call.webhook(RESULT);
        t.add(bad("no signature headers: WEBHOOK_SIGNATURE_MISSING",
                hook.signed(null).header("webhook-id", null),
                problem(401, "WEBHOOK_SIGNATURE_MISSING").then(challenge("Webhook-Signature"))));
        t.add(bad("no webhook-id (it is signed): WEBHOOK_SIGNATURE_MISSING",
                hook.signed(Signing.ours().without("webhook-id")),
                problem(401, "WEBHOOK_SIGNATURE_MISSING")));
        t.add(bad("no webhook-signature: WEBHOOK_SIGNATURE_MISSING",
                hook.signed(Signing.ours().without("webhook-signature")),
                problem(401, "WEBHOOK_SIGNATURE_MISSING")));
        t.add(bad("a timestamp that is not seconds: WEBHOOK_TIMESTAMP_INVALID",
                hook.signed(Signing.ours().timestamp("2026-11-22T07:00:00Z")),
                problem(401, "WEBHOOK_TIMESTAMP_INVALID")));
        t.add(bad("signed 10 minutes ago: WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE", hook.signed(Signing.ours().at(-600)),
                problem(401, "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE")));
        t.add(bad("signed 10 minutes ahead: WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE", hook.signed(Signing.ours().at(600)),
                problem(401, "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE")));
        t.add(bad("a 19-digit timestamp (overflow) is WEBHOOK_TIMESTAMP_INVALID",
                hook.signed(Signing.ours().timestamp("9".repeat(19))),
                problem(401, "WEBHOOK_TIMESTAMP_INVALID")));
        t.add(bad("a forged signature: WEBHOOK_SIGNATURE_INVALID",
                hook.signed(Signing.ours().signature(BadInput.randomSignature())),
                problem(401, "WEBHOOK_SIGNATURE_INVALID")));
        t.add(bad("signed with a secret we do not have: WEBHOOK_SIGNATURE_INVALID",
                hook.signed(Signing.ours().withSecret(BadInput.unknownSecret())),
                problem(401, "WEBHOOK_SIGNATURE_INVALID")));
        t.add(bad("a tampered body (amount changed after signing): WEBHOOK_SIGNATURE_INVALID",
                hook.json(RESULT.replace("1000", "9000")).signed(Signing.ours().over(RESULT)),
                problem(401, "WEBHOOK_SIGNATURE_INVALID")));
        t.add(bad("a signature for another webhook-id: WEBHOOK_SIGNATURE_INVALID",
                hook.signed(Signing.ours().forId("evt-other")),
                problem(401, "WEBHOOK_SIGNATURE_INVALID")));
        t.add(bad("a v2 signature scheme only: WEBHOOK_SIGNATURE_INVALID",
                hook.signed(Signing.ours().signature("v2,abc")),
                problem(401, "WEBHOOK_SIGNATURE_INVALID")));
        t.add(bad("bytes that are not UTF-8 are MALFORMED_JSON (before any signature check)",
                hook.raw("application/json", new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}).signed(null),
                problem(400, "MALFORMED_JSON")));
        t.add(bad("a body over 64 KiB is PAYLOAD_TOO_LARGE (before any signature check)",
                hook.json(RESULT.replace("null}", "\"" + "r".repeat(66_000) + "\"}")),
                problem(413, "PAYLOAD_TOO_LARGE")));
        t.add(bad("signed but not JSON: MALFORMED_JSON",
                hook.json("status=SUCCEEDED"), problem(400, "MALFORMED_JSON")));
        t.add(bad("signed, a transfer.result without data: data REQUIRED", hook.json("{\"type\":\"transfer.result\"}"),
                invalid("data:REQUIRED")));
        t.add(bad("signed, every bad data field listed",
                hook.json(edit(RESULT, "data.bank_tran_id", REMOVE, "data.status", "succeeded", "data.amount", "1000",
                        "data.currency", "krw")),
                invalid("data.bank_tran_id:REQUIRED", "data.status:INVALID_VALUE",
                        "data.amount:WRONG_TYPE", "data.currency:INVALID_FORMAT")));
        t.add(bad("signed, an escaped NUL in reason is INVALID_CHARACTERS",
                hook.json(edit(RESULT, "data.reason", raw("\"x\\u0000\""))),
                invalid("data.reason:INVALID_CHARACTERS")));
        t.add(bad("signed, amount -1 is TOO_SMALL", hook.json(edit(RESULT, "data.amount", -1)),
                invalid("data.amount:TOO_SMALL")));
        t.add(bad("signed, amount 2^63 is TOO_LARGE", hook.json(edit(RESULT, "data.amount", raw(TWO_POW_63))),
                invalid("data.amount:TOO_LARGE")));
        t.add(bad("signed, amount 10.5 is WRONG_TYPE", hook.json(edit(RESULT, "data.amount", raw("10.5"))),
                invalid("data.amount:WRONG_TYPE")));
        t.add(bad("signed, a 256-character webhook-id is INVALID_FORMAT", hook.header("webhook-id", "e".repeat(256)),
                invalid("webhook-id:INVALID_FORMAT")));
        t.add(bad("the bank's accepted webhook replayed (fresh signature) is a duplicate and writes nothing",
                Call.webhook("{REPLAY_BODY}").header("webhook-id", "{REPLAY_ID}"),
                answered(200, field("duplicate", true))));

        Call events = Call.to("webhook", "GET", "/v1/webhook-events?external_ref={A_REF}", CLIENT_A);
        t.add(bad("webhook events need ops: FORBIDDEN", events, problem(403, "FORBIDDEN")));
        t.add(bad("webhook events without a filter: external_ref REQUIRED", events.as(OPS).with("/v1/webhook-events"),
                invalid("external_ref:REQUIRED")));
        t.add(bad("webhook events size=0&page=x lists both",
                events.as(OPS).with("/v1/webhook-events?event_id=e&size=0&page=x"),
                invalid("size:OUT_OF_RANGE", "page:OUT_OF_RANGE")));
        t.add(bad("a SQL-looking event_id is just an id: 200 with no items",
                events.as(OPS).with("/v1/webhook-events?event_id=%27%20OR%20%271%27=%271"),
                answered(200, field("items.size()", 0))));

        // ---- platform ops endpoints, the same in every service ----
        for (String svc : WriteSnapshot.SERVICES) {
            Call letters = Call.to(svc, "GET", "/v1/ops/dead-letters", OPS);
            Call replay = Call.to(svc, "POST", "/v1/ops/dead-letters/" + UUID.randomUUID() + "/replay", OPS)
                    .json("{\"reason\":\"retry after the fix\"}");
            Call audit = Call.to(svc, "GET", "/v1/ops/audit", OPS);
            t.add(bad("dead letters without a token: UNAUTHORIZED",
                    letters.as(NONE), problem(401, "UNAUTHORIZED").then(challenge("Bearer"))));
            t.add(bad("dead letters with a client token: FORBIDDEN", letters.as(CLIENT_A), problem(403, "FORBIDDEN")));
            t.add(bad("dead letters state=bogus is VALIDATION_FAILED", letters.with("/v1/ops/dead-letters?state=bogus"),
                    invalid("state:INVALID_VALUE")));
            t.add(bad("dead letters size=abc is VALIDATION_FAILED", letters.with("/v1/ops/dead-letters?size=abc"),
                    invalid("size:OUT_OF_RANGE")));
            t.add(bad("a malformed dead letter id is DEAD_LETTER_NOT_FOUND",
                    letters.with("/v1/ops/dead-letters/..%2F1"),
                    problem(404, "DEAD_LETTER_NOT_FOUND")));
            t.add(bad("replay without a reason: 422 reason REQUIRED", replay.json("{}"),
                    problem(422, "VALIDATION_FAILED", "reason:REQUIRED")));
            t.add(bad("replay with a wrong type and an unknown field: both listed",
                    replay.json("{\"reason\":5,\"force\":true}"),
                    problem(422, "VALIDATION_FAILED", "reason:WRONG_TYPE", "force:UNKNOWN_FIELD")));
            t.add(bad("replay with a NUL in the reason: INVALID_CHARACTERS",
                    replay.json("{\"reason\":\"abc\\u0000def\"}"),
                    problem(422, "VALIDATION_FAILED", "reason:INVALID_CHARACTERS")));
            t.add(bad("replay of an unknown dead letter: DEAD_LETTER_NOT_FOUND, nothing audited", replay,
                    problem(404, "DEAD_LETTER_NOT_FOUND")));
            t.add(bad("replay with a client token: FORBIDDEN", replay.as(CLIENT_A), problem(403, "FORBIDDEN")));
            t.add(bad("a replay body over 4 KiB is PAYLOAD_TOO_LARGE",
                    replay.json("{\"reason\":\"" + "r".repeat(5_000) + "\"}"),
                    problem(413, "PAYLOAD_TOO_LARGE")));
            t.add(bad("audit size=0 is OUT_OF_RANGE",
                    audit.with("/v1/ops/audit?size=0"), invalid("size:OUT_OF_RANGE")));
            t.add(bad("audit with a foreign-signed ops token: TOKEN_INVALID",
                    audit.as(Auth.FOREIGN_SIGNATURE), problem(401, "TOKEN_INVALID")));
        }
        return t;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void answersAsDocumentedAndWritesNothing(Case c) {
        WriteSnapshot.State before = snapshots.before();
        Answer answer = BadInput.send(c.call(), context);
        c.expect().verify(answer, context);
        WriteSnapshot.State after = snapshots.quiet();
        if (c.expect().writes()) {
            assertThat(after.rows().keySet()).as("tables (none dropped or added)").isEqualTo(before.rows().keySet());
        } else {
            assertThat(after.changesSince(before)).as("what %s wrote", c).isEmpty();
        }
    }

    // --- checks of the harmless cases ---

    private static Check memoStoredVerbatim(String memo) {
        return (a, ctx) -> {
            String id = a.json().getString("id");
            String token = ctx.token(CLIENT_A);
            awaitSagaEnd(ctx, token, id);
            assertThat(ctx.payout().transfer(token, id).jsonPath().getString("memo")).as("memo read back")
                    .isEqualTo(memo);
            assertThat(ctx.payout().query("transfer", "select memo from transfers where id = ?::uuid", id)
                    .get(0).get("memo"))
                    .as("memo in the database").isEqualTo(memo);
        };
    }

    private static Check keyStoredVerbatim() {
        return (a, ctx) -> {
            String id = a.json().getString("id");
            String key = a.json().getString("client_request_id");
            assertThat(key).startsWith("'OR'1'='1';--");
            String token = ctx.token(CLIENT_A);
            awaitSagaEnd(ctx, token, id);
            String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
            Answer byKey = BadInput.send(
                    Call.to("transfer", "GET", "/v1/transfers?idempotency_key=" + encoded, CLIENT_A), ctx);
            assertThat(byKey.status()).isEqualTo(200);
            assertThat(byKey.json().getString("id")).as("the one transfer with exactly that key").isEqualTo(id);
        };
    }

    private static Check failsWithoutPostings() {
        return (a, ctx) -> {
            String id = a.json().getString("id");
            assertThat(awaitSagaEnd(ctx, ctx.token(CLIENT_B), id)).isEqualTo("FAILED");
            assertThat(ctx.payout().count("ledger", "select count(*) from postings where transfer_id = ?::uuid", id))
                    .as("postings for B's attempt on A's account").isZero();
            assertThat(ctx.payout().count("bank_adapter",
                    "select count(*) from dispatches where transfer_id = ?::uuid", id))
                    .as("bank dispatches").isZero();
        };
    }

    /**
     * A harmless case's transfer has finished its saga, its last posting included, so that the next case starts
     * from a quiet stack (the snapshot's quiet wait alone could fall into a pause of the saga).
     */
    private static String awaitSagaEnd(Context ctx, String token, String id) {
        String state = ctx.payout().awaitTerminal(token, id);
        String lastPosting = "SETTLED".equals(state) ? "SETTLE" : "RELEASE";
        String postings = "select count(*) from postings where transfer_id = ?::uuid";
        await().atMost(Payout.SETTLE_WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                ctx.payout().count("ledger", postings + " and kind = ?", id, lastPosting) == 1
                        || "FAILED".equals(state) && ctx.payout().count("ledger", postings, id) == 0);
        return state;
    }

    private static Check ownerStoredVerbatim(String owner) {
        return (a, ctx) -> {
            String id = a.json().getString("id");
            assertThat(a.json().getString("owner")).isEqualTo(owner);
            assertThat(ctx.payout().query("ledger", "select owner from accounts where id = ?", id).get(0).get("owner"))
                    .as("owner in the database").isEqualTo(owner);
        };
    }

    // --- fixtures: client A with an account and a settled transfer, client B, the bank's accepted webhook ---

    @BeforeAll
    static void fixtures() throws Exception {
        LocalStack stack = SharedStack.stack();
        payout = new Payout(stack);
        String clientA = "bad-input-a-" + UUID.randomUUID();
        String clientB = "bad-input-b-" + UUID.randomUUID();
        Map<Auth, String> tokens = new EnumMap<>(Auth.class);
        tokens.put(CLIENT_A, stack.token(clientA));
        tokens.put(CLIENT_B, stack.token(clientB));
        tokens.put(OPS, stack.token("bad-input-ops", "ops"));
        tokens.put(Auth.STATEMENT_READER, stack.token("bad-input-reader", "statement-reader"));
        tokens.put(Auth.EXPIRED, BadTokens.expired(clientA, "ops"));
        tokens.put(Auth.WRONG_ISSUER, BadTokens.wrongIssuer(clientA, "ops"));
        tokens.put(Auth.FOREIGN_SIGNATURE, BadTokens.foreignSignature(clientA, "ops"));
        tokens.put(Auth.UNSIGNED, BadTokens.unsigned(clientA, "ops"));
        tokens.put(Auth.NO_AUDIENCE, BadTokens.noAudience(clientA, "ops"));
        tokens.put(Auth.GARBAGE, "not.a.jwt");

        String accountA = payout.fundedAccount(clientA, 100_000);
        payout.fundedAccount(clientB, 100_000);
        String keyA = UUID.randomUUID().toString();
        String transferA = payout.postTransfer(tokens.get(CLIENT_A), keyA, accountA, "12345678901234", "1000")
                .then().statusCode(201).extract().path("id");
        assertThat(payout.awaitTerminal(tokens.get(CLIENT_A), transferA)).isEqualTo("SETTLED");
        String ref = payout.transfer(tokens.get(CLIENT_A), transferA).path("external_ref");
        Map<String, Object> accepted = await().atMost(Payout.SETTLE_WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> payout.query("webhook", "select event_id, body from webhook_events where body like ?",
                        "%" + ref + "%").stream().findFirst().orElse(null), java.util.Objects::nonNull);

        Map<String, String> values = Map.of("A_ACCOUNT", accountA, "A_TRANSFER", transferA, "A_KEY", keyA, "A_REF", ref,
                "REPLAY_ID", (String) accepted.get("event_id"), "REPLAY_BODY", (String) accepted.get("body"));
        context = new FixtureContext(payout, tokens, values);
        awaitTheDailyReconciliation();
        snapshots = new WriteSnapshot(payout, stack);
    }

    /**
     * The ledger's schedule reconciles yesterday once a day, by itself, within a check interval (60 s) of start-up
     * when run-at (06:00 Asia/Seoul, application.properties) has passed: let that run happen before the cases, so
     * that it is not counted as something a case wrote.
     */
    private static void awaitTheDailyReconciliation() {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.of("Asia/Seoul"));
        if (now.toLocalTime().isBefore(LocalTime.of(6, 0))) {
            return;
        }
        String yesterday = now.toLocalDate().minusDays(1).toString();
        await("the scheduled reconciliation of " + yesterday).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1)).until(() -> payout.count("ledger", """
                        select count(*) from reconciliations
                         where value_date = ?::date and trigger = 'SCHEDULED' and status <> 'RUNNING'""",
                        yesterday) > 0);
    }

    @AfterAll
    static void closeProbe() throws Exception {
        if (snapshots != null) {
            snapshots.close();
        }
    }

    private record FixtureContext(Payout payout, Map<Auth, String> tokens, Map<String, String> values)
            implements Context {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Z_]+)}");

        @Override
        public String token(Auth auth) {
            return tokens.get(auth);
        }

        @Override
        public String resolve(String text) {
            if (text == null) {
                return null;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = name.equals("NEW") ? UUID.randomUUID().toString() : values.getOrDefault(name, m.group());
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            return m.appendTail(out).toString();
        }
    }
}
