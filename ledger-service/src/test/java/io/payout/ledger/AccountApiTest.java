package io.payout.ledger;

import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.CLIENT_B;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.accountBody;
import static io.payout.ledger.Ledger.client;
import static io.payout.ledger.Ledger.get;
import static io.payout.ledger.Ledger.newAccountId;
import static io.payout.ledger.Ledger.ops;
import static io.payout.ledger.Ledger.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/** The ops API: accounts, deposits, reads, and every refusal writing nothing. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AccountApiTest {

    // --- opening accounts ---

    @Test
    void openingTheFirstAccountOfACurrencyCreatesItsBalanceRowAndSystemAccounts() {
        String id = newAccountId();
        post(ops(), "/v1/accounts", accountBody(id, "eur", CLIENT_A)).then().statusCode(201)
                .header("Location", matchesPattern(".*/v1/accounts/" + id))
                .body("id", equalTo(id)).body("currency", equalTo("EUR")).body("owner", equalTo(CLIENT_A))
                .body("available", equalTo("0.00")).body("held", equalTo("0.00")).body("as_of", notNullValue());

        assertThat(Rows.count("select count(*) from accounts where currency = 'EUR' and owner is null and id in"
                + " ('holds:EUR', 'bank-clearing:EUR', 'funding:EUR')")).isEqualTo(3);
        assertThat(Rows.count("select count(*) from account_balances where account_id = ?", id)).isEqualTo(1);
        assertThat(Rows.count("select count(*) from account_balances where account_id like '%:EUR'"))
                .as("system accounts have no balance row").isZero();
    }

    @Test
    void aRepeatWithTheSameBodyAnswers200AndWritesNothing() {
        String id = newAccountId();
        post(ops(), "/v1/accounts", accountBody(id, "KRW", CLIENT_A)).then().statusCode(201);
        var before = Ledger.Written.now();
        post(ops(), "/v1/accounts", accountBody(id, "KRW", CLIENT_A)).then().statusCode(200)
                .body("id", equalTo(id)).body("available", equalTo("0"));
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    @Test
    void concurrentOpeningsOfOneIdCreateItOnce() throws Exception {
        String id = newAccountId();
        List<Integer> statuses = Concurrently.run(6, () ->
                post(ops(), "/v1/accounts", accountBody(id, "KRW", CLIENT_A)).statusCode());
        assertThat(statuses).containsOnly(201, 200).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Rows.count("select count(*) from accounts where id = ?", id)).isEqualTo(1);
    }

    @Test
    void theSameIdWithAnotherCurrencyOrOwnerIsAConflictAndWritesNothing() {
        String id = newAccountId();
        post(ops(), "/v1/accounts", accountBody(id, "KRW", CLIENT_A)).then().statusCode(201);
        var before = Ledger.Written.now();
        for (String body : List.of(accountBody(id, "USD", CLIENT_A), accountBody(id, "KRW", CLIENT_B))) {
            post(ops(), "/v1/accounts", body).then().statusCode(409)
                    .contentType("application/problem+json")
                    .body("code", equalTo("ACCOUNT_EXISTS")).body("status", equalTo(409));
        }
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    @Test
    void anInvalidAccountIsRefusedWithEveryFieldErrorAndWritesNothing() {
        var before = Ledger.Written.now();
        post(ops(), "/v1/accounts", "{\"id\":\"holds:KRW\",\"currency\":\"KR\",\"owner\":\"\",\"colour\":\"red\"}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", containsInAnyOrder("id", "currency", "owner", "colour"))
                .body("errors.find { it.field == 'colour' }.code", equalTo("UNKNOWN_FIELD"));
        post(ops(), "/v1/accounts", "{\"id\":42,\"currency\":\"XYZ\"}").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("id", "currency", "owner"))
                .body("errors.find { it.field == 'id' }.code", equalTo("WRONG_TYPE"))
                .body("errors.find { it.field == 'currency' }.code", equalTo("UNKNOWN_CURRENCY"))
                .body("errors.find { it.field == 'owner' }.code", equalTo("REQUIRED"));
        post(ops(), "/v1/accounts", "{\"id\":").then().statusCode(400).body("code", equalTo("MALFORMED_JSON"));
        post(ops(), "/v1/accounts", accountBody(newAccountId(), "GBP", CLIENT_A)).then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("UNSUPPORTED_CURRENCY"));
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    // --- deposits ---

    @Test
    void aDepositCreditsTheAccountFromFundingAndARepeatAnswersTheSameBody() {
        String id = account(CLIENT_A, "USD", 0);
        String body = "{\"amount\":\"12.50\",\"reference\":\"dep-" + UUID.randomUUID() + "\"}";
        Response first = post(ops(), "/v1/accounts/" + id + "/deposits", body);
        first.then().statusCode(201).body("account_id", equalTo(id)).body("amount", equalTo("12.50"))
                .body("currency", equalTo("USD")).body("id", notNullValue()).body("created_at", notNullValue());
        var before = Ledger.Written.now();
        Response again = post(ops(), "/v1/accounts/" + id + "/deposits", body);
        again.then().statusCode(200);

        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(Rows.count("select count(*) from postings where id = ?::uuid and created_at = ?::timestamptz",
                first.path("id"), first.path("created_at"))).as("created_at is the stored instant").isEqualTo(1);
        assertThat(Ledger.Written.now()).isEqualTo(before);
        assertThat(Rows.count("""
                select count(*) from entries e join postings p on p.id = e.posting_id
                 where p.kind = 'DEPOSIT' and p.id = ?::uuid
                   and ((e.account_id = 'funding:USD' and e.amount_minor = -1250) or (e.account_id = ? and e.amount_minor = 1250))""",
                first.path("id"), id)).isEqualTo(2);
        get(client(CLIENT_A), "/v1/accounts/" + id).then().statusCode(200)
                .body("available", equalTo("12.50")).body("held", equalTo("0.00"));
        Ledger.assertBalanceRowAgreesWithEntries(id);
    }

    @Test
    void concurrentDepositsWithOneReferencePostOnce() throws Exception {
        String id = account(CLIENT_A, 0);
        String reference = "dep-" + UUID.randomUUID();
        List<Integer> statuses = Concurrently.run(6, () -> post(ops(), "/v1/accounts/" + id + "/deposits",
                "{\"amount\":\"500\",\"reference\":\"" + reference + "\"}").statusCode());
        assertThat(statuses).containsOnly(201, 200).filteredOn(s -> s == 201).hasSize(1);
        assertThat(Ledger.available(id)).isEqualTo(500);
    }

    @Test
    void aReusedDepositReferenceIsAConflictAndWritesNothing() {
        String id = account(CLIENT_A, 0);
        String other = account(CLIENT_A, 0);
        String reference = "dep-" + UUID.randomUUID();
        post(ops(), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"100\",\"reference\":\"" + reference + "\"}")
                .then().statusCode(201);
        var before = Ledger.Written.now();
        post(ops(), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"101\",\"reference\":\"" + reference + "\"}")
                .then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("DEPOSIT_REFERENCE_REUSED"));
        post(ops(), "/v1/accounts/" + other + "/deposits", "{\"amount\":\"100\",\"reference\":\"" + reference + "\"}")
                .then().statusCode(409).body("code", equalTo("DEPOSIT_REFERENCE_REUSED"));
        assertThat(Ledger.Written.now()).isEqualTo(before);
        assertThat(Ledger.available(id)).isEqualTo(100);
        assertThat(Ledger.available(other)).isZero();
    }

    @Test
    void anInvalidDepositIsRefusedWithEveryFieldErrorAndWritesNothing() {
        String id = account(CLIENT_A, 0);
        var before = Ledger.Written.now();
        post(ops(), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"12.5\",\"reference\":\"\",\"note\":1}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("amount", "reference", "note"))
                .body("errors.find { it.field == 'amount' }.code", equalTo("TOO_MANY_DECIMALS"));
        post(ops(), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"0\"}").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("amount", "reference"))
                .body("errors.find { it.field == 'amount' }.code", equalTo("TOO_SMALL"))
                .body("errors.find { it.field == 'reference' }.code", equalTo("REQUIRED"));
        post(ops(), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"-5\",\"reference\":\"r\"}").then()
                .statusCode(400).body("errors.find { it.field == 'amount' }.code", equalTo("INVALID_FORMAT"));
        post(ops(), "/v1/accounts/no-such-" + UUID.randomUUID() + "/deposits", "{\"amount\":\"5\",\"reference\":\"r\"}")
                .then().statusCode(404).contentType("application/problem+json");
        post(ops(), "/v1/accounts/funding:KRW/deposits", "{\"amount\":\"5\",\"reference\":\"r\"}")
                .then().statusCode(404);
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    // --- who may do what ---

    @Test
    void withoutATokenNothingIsReadOrWritten() {
        String id = account(CLIENT_A, 0);
        var before = Ledger.Written.now();
        for (Response r : List.of(
                post(null, "/v1/accounts", accountBody(newAccountId(), "KRW", CLIENT_A)),
                post("Bearer " + Tokens.expired(Ledger.OPS), "/v1/accounts", accountBody(newAccountId(), "KRW", CLIENT_A)),
                post(null, "/v1/accounts/" + id + "/deposits", "{\"amount\":\"5\",\"reference\":\"r-401\"}"),
                get(null, "/v1/accounts/" + id),
                get("Bearer " + Tokens.foreignSignature(CLIENT_A), "/v1/accounts/" + id),
                get(null, "/v1/accounts/" + id + "/entries"),
                get(null, "/v1/accounts/" + id + "/balance"),
                get(null, "/v1/ledger/totals"))) {
            r.then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer")
                    .body("code", org.hamcrest.Matchers.in(List.of("UNAUTHORIZED", "TOKEN_EXPIRED", "TOKEN_INVALID")));
        }
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    @Test
    void writesAndTotalsNeedTheOpsRole() {
        String id = account(CLIENT_A, 0);
        var before = Ledger.Written.now();
        for (Response r : List.of(
                post(client(CLIENT_A), "/v1/accounts", accountBody(newAccountId(), "KRW", CLIENT_A)),
                post(client(CLIENT_A), "/v1/accounts/" + id + "/deposits", "{\"amount\":\"5\",\"reference\":\"r-403\"}"),
                get(client(CLIENT_A), "/v1/ledger/totals"))) {
            r.then().statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
        }
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    @Test
    void aClientReadsOnlyItsOwnAccountsAndOpsReadsAll() {
        String id = account(CLIENT_A, 700);
        get(client(CLIENT_A), "/v1/accounts/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("owner", equalTo(CLIENT_A)).body("currency", equalTo("KRW"))
                .body("available", equalTo("700")).body("held", equalTo("0")).body("as_of", notNullValue());
        get(ops(), "/v1/accounts/" + id).then().statusCode(200).body("available", equalTo("700"));
        get(ops(), "/v1/accounts/holds:KRW").then().statusCode(200).body("owner", equalTo(null));

        String unknown = get(client(CLIENT_B), "/v1/accounts/no-such-" + UUID.randomUUID()).then().statusCode(404)
                .extract().path("detail");
        for (String path : List.of("", "/entries", "/balance")) {
            get(client(CLIENT_B), "/v1/accounts/" + id + path).then().statusCode(404)
                    .contentType("application/problem+json").body("detail", equalTo(unknown));
        }
        get(client(CLIENT_A), "/v1/accounts/holds:KRW").then().statusCode(404);
    }

    // --- entries and totals ---

    @Test
    void entriesAreListedNewestFirstWithTheirPostingAndPaged() {
        String id = account(CLIENT_A, 1000);
        UUID transfer = Ledger.hold(CLIENT_A, id, 300);
        Ledger.awaitConsumed(Ledger.publish("ledger.release", transfer, Ledger.releasePayload(transfer, 300, "KRW")));

        get(client(CLIENT_A), "/v1/accounts/" + id + "/entries").then().statusCode(200)
                .body("account_id", equalTo(id))
                .body("items", hasSize(3))
                .body("items.kind", org.hamcrest.Matchers.contains("RELEASE", "HOLD", "DEPOSIT"))
                .body("items.amount", org.hamcrest.Matchers.contains("300", "-300", "1000"))
                .body("items[0].transfer_id", equalTo(transfer.toString()))
                .body("items[2].transfer_id", equalTo(null))
                .body("items[2].reference", notNullValue());
        get(client(CLIENT_A), "/v1/accounts/" + id + "/entries?page=1&size=2").then().statusCode(200)
                .body("page", equalTo(1)).body("size", equalTo(2))
                .body("items.kind", org.hamcrest.Matchers.contains("DEPOSIT"));
        get(client(CLIENT_A), "/v1/accounts/" + id + "/entries?size=201").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
        get(client(CLIENT_A), "/v1/accounts/" + id + "/entries?page=-1&size=abc").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("page", "size"));
    }

    @Test
    void totalsArePerCurrencyAndZero() {
        account(CLIENT_A, 1234);
        get(ops(), "/v1/ledger/totals").then().statusCode(200)
                .body("as_of", notNullValue())
                .body("totals.find { it.currency == 'KRW' }.sum", equalTo("0"))
                .body("totals.find { it.currency == 'KRW' }.entries", org.hamcrest.Matchers.greaterThanOrEqualTo(2));
        Ledger.assertLedgerBalanced();
    }
}
