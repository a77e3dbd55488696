package io.payout.ledger;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test fixtures for the ledger: accounts and deposits through the API (as ops), commands published on the real
 * broker as the saga publishes them, and what the database holds.
 */
final class Ledger {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String OPS = "ops-1";
    static final String CLIENT_A = "client-a";
    static final String CLIENT_B = "client-b";

    private Ledger() {
    }

    static String ops() {
        return "Bearer " + Tokens.forClient(OPS, "ops");
    }

    static String client(String id) {
        return "Bearer " + Tokens.forClient(id);
    }

    static String newAccountId() {
        return "acc-" + UUID.randomUUID().toString().substring(0, 13);
    }

    static Response post(String authorization, String path, String body) {
        var spec = given().contentType("application/json").body(body);
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        return spec.when().post(path);
    }

    static Response get(String authorization, String path) {
        var spec = given();
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        return spec.when().get(path);
    }

    static String accountBody(String id, String currency, String owner) {
        return "{\"id\":\"" + id + "\",\"currency\":\"" + currency + "\",\"owner\":\"" + owner + "\"}";
    }

    /** A new KRW customer account of {@code owner}, funded with {@code amount} minor units (none when 0). */
    static String account(String owner, long amount) {
        return account(owner, "KRW", amount);
    }

    static String account(String owner, String currency, long amount) {
        String id = newAccountId();
        post(ops(), "/v1/accounts", accountBody(id, currency, owner)).then().statusCode(201);
        if (amount > 0) {
            deposit(id, io.payout.platform.money.Currencies.format(amount, currency));
        }
        return id;
    }

    static void deposit(String account, String amount) {
        post(ops(), "/v1/accounts/" + account + "/deposits",
                "{\"amount\":\"" + amount + "\",\"reference\":\"dep-" + UUID.randomUUID() + "\"}")
                .then().statusCode(201);
    }

    // --- commands, as the saga sends them ---

    static String holdPayload(UUID transfer, String client, String account, long amount, String currency) {
        return "{\"transfer_id\":\"" + transfer + "\",\"client_id\":\"" + client + "\",\"source_account\":\""
                + account + "\",\"amount_minor\":" + amount + ",\"currency\":\"" + currency + "\"}";
    }

    static String settlePayload(UUID transfer, long amount, String currency, String externalRef) {
        return "{\"transfer_id\":\"" + transfer + "\",\"amount_minor\":" + amount + ",\"currency\":\"" + currency
                + "\",\"external_ref\":\"" + externalRef + "\"}";
    }

    static String releasePayload(UUID transfer, long amount, String currency) {
        return "{\"transfer_id\":\"" + transfer + "\",\"amount_minor\":" + amount + ",\"currency\":\"" + currency
                + "\"}";
    }

    /** Publishes one command with a new message id; returns the id. */
    static String publish(String type, UUID transfer, String payload) {
        String messageId = UUID.randomUUID().toString();
        publish(type, transfer, payload, messageId);
        return messageId;
    }

    static void publish(String type, UUID transfer, String payload, String messageId) {
        BrokerProbe.publish(ServiceTestResource.vhost(), type, messageId,
                BrokerProbe.envelope(messageId, type, transfer.toString(), payload));
    }

    /** Places a hold and waits for its answer; returns the transfer. */
    static UUID hold(String client, String account, long amount) {
        UUID transfer = UUID.randomUUID();
        awaitConsumed(publish("ledger.hold", transfer, holdPayload(transfer, client, account, amount, "KRW")));
        return transfer;
    }

    /** Waits until the ledger has consumed (committed) this message. */
    static void awaitConsumed(String messageId) {
        await().atMost(WAIT).until(() -> Rows.count(
                "select count(*) from inbox where consumer = 'ledger.commands' and message_id = ?::uuid",
                messageId) == 1);
    }

    // --- events, as the saga receives them ---

    /** Listens for every ledger event (the commands share the prefix; {@link #events} filters by type). */
    static BrokerProbe listen() {
        return BrokerProbe.bind(ServiceTestResource.vhost(), "ledger.*");
    }

    static List<JsonPath> events(BrokerProbe probe, String type, UUID transfer) {
        return probe.received().stream()
                .filter(m -> type.equals(m.type()))
                .map(m -> JsonPath.from(m.body()))
                .filter(j -> transfer.toString().equals(j.getString("payload.transfer_id")))
                .toList();
    }

    static JsonPath awaitEvent(BrokerProbe probe, String type, UUID transfer) {
        await().atMost(WAIT).until(() -> !events(probe, type, transfer).isEmpty());
        return events(probe, type, transfer).getFirst();
    }

    // --- what the database holds ---

    static long postings(UUID transfer, String kind) {
        return Rows.count("select count(*) from postings where transfer_id = ?::uuid and kind = ?",
                transfer.toString(), kind);
    }

    static long postingsOf(UUID transfer) {
        return Rows.count("select count(*) from postings where transfer_id = ?::uuid", transfer.toString());
    }

    static long available(String account) {
        return Rows.count("select available_minor from account_balances where account_id = ?", account);
    }

    static long held(String account) {
        return Rows.count("select held_minor from account_balances where account_id = ?", account);
    }

    static long entriesSum(String account) {
        return Rows.count("select coalesce(sum(amount_minor), 0) from entries where account_id = ?", account);
    }

    /**
     * The balance row agrees with the entries: available = the account's entries; held = the placed holds of its
     * transfers not yet settled or released (computed from hold_requests and postings, not the way the service does).
     */
    static void assertBalanceRowAgreesWithEntries(String account) {
        long heldIndependently = Rows.count("""
                select coalesce(sum(h.amount_minor), 0) from hold_requests h
                 where h.account_id = ? and h.outcome = 'PLACED'
                   and not exists (select 1 from postings p where p.transfer_id = h.transfer_id
                                   and p.kind in ('SETTLE', 'RELEASE'))""", account);
        assertThat(available(account)).as("available of %s = sum of its entries", account)
                .isEqualTo(entriesSum(account));
        assertThat(held(account)).as("held of %s = its open holds", account).isEqualTo(heldIndependently);
    }

    /** Every posting sums to zero, so does each currency; the holds account carries exactly the customers' held. */
    static void assertLedgerBalanced() {
        assertThat(Rows.count("select count(*) from (select currency from entries group by currency"
                + " having sum(amount_minor) <> 0) t")).as("currencies not summing to zero").isZero();
        assertThat(Rows.count("select count(*) from (select posting_id from entries group by posting_id"
                + " having sum(amount_minor) <> 0 or count(*) < 2) t")).as("unbalanced postings").isZero();
        assertThat(Rows.count("""
                select count(*) from accounts h where h.kind = 'HOLDS'
                   and (select coalesce(sum(amount_minor), 0) from entries where account_id = h.id)
                    <> (select coalesce(sum(b.held_minor), 0) from account_balances b join accounts a on a.id = b.account_id
                         where a.currency = h.currency)""")).as("holds accounts disagreeing with held").isZero();
        assertThat(Rows.count("select count(*) from account_balances where available_minor < 0 or held_minor < 0"))
                .isZero();
    }

    /** Rows in every table a request or command can write. */
    record Written(long accounts, long balances, long postings, long entries, long holdRequests, long outbox) {
        static Written now() {
            return new Written(Rows.table("accounts"), Rows.table("account_balances"), Rows.table("postings"),
                    Rows.table("entries"), Rows.table("hold_requests"), Rows.table("outbox"));
        }
    }
}
