package io.payout.ledger;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Concurrently;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.CLIENT_B;
import static io.payout.ledger.Ledger.WAIT;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.assertBalanceRowAgreesWithEntries;
import static io.payout.ledger.Ledger.assertLedgerBalanced;
import static io.payout.ledger.Ledger.available;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.awaitEvent;
import static io.payout.ledger.Ledger.deposit;
import static io.payout.ledger.Ledger.events;
import static io.payout.ledger.Ledger.held;
import static io.payout.ledger.Ledger.holdPayload;
import static io.payout.ledger.Ledger.listen;
import static io.payout.ledger.Ledger.postings;
import static io.payout.ledger.Ledger.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ledger.hold} through the real broker: the answer the saga gets ({@code ledger.hold-placed} or
 * {@code ledger.hold-rejected}), the HOLD posting and the balance row.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class HoldCommandTest {

    @Test
    void aHoldWithinTheBalanceMovesTheAmountToHoldsAndAnswersHoldPlaced() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID transfer = UUID.randomUUID();
        try (BrokerProbe probe = listen()) {
            publish("ledger.hold", transfer, holdPayload(transfer, CLIENT_A, account, 300, "KRW"));

            JsonPath placed = awaitEvent(probe, "ledger.hold-placed", transfer);
            assertThat(placed.getString("aggregate_id")).isEqualTo(transfer.toString());
            assertThat(placed.getMap("payload")).containsOnlyKeys("transfer_id");
        }
        assertThat(postings(transfer, "HOLD")).isEqualTo(1);
        assertThat(Rows.count("""
                select count(*) from entries e join postings p on p.id = e.posting_id
                 where p.transfer_id = ?::uuid and p.kind = 'HOLD'
                   and ((e.account_id = ? and e.amount_minor = -300) or (e.account_id = 'holds:KRW' and e.amount_minor = 300))""",
                transfer.toString(), account)).isEqualTo(2);
        assertThat(available(account)).isEqualTo(700);
        assertThat(held(account)).isEqualTo(300);
        assertBalanceRowAgreesWithEntries(account);
        Ledger.get(Ledger.client(CLIENT_A), "/v1/accounts/" + account).then().statusCode(200)
                .body("available", org.hamcrest.Matchers.equalTo("700"))
                .body("held", org.hamcrest.Matchers.equalTo("300"));
    }

    @Test
    void everyRejectionReasonAnswersHoldRejectedAndWritesNoPosting() throws Exception {
        String funded = account(CLIENT_A, 1000);
        String usd = account(CLIENT_A, "USD", 100_000);
        record Case(String reason, String client, String account, long amount, String currency) {
        }
        List<Case> cases = List.of(
                new Case("ACCOUNT_NOT_FOUND", CLIENT_A, "acc-nobody-has-" + UUID.randomUUID(), 100, "KRW"),
                new Case("ACCOUNT_NOT_FOUND", CLIENT_A, "holds:KRW", 100, "KRW"),
                new Case("ACCOUNT_NOT_OWNED", CLIENT_B, funded, 100, "KRW"),
                new Case("CURRENCY_MISMATCH", CLIENT_A, usd, 100, "KRW"),
                new Case("INSUFFICIENT_FUNDS", CLIENT_A, funded, 1001, "KRW"),
                // the checks run in the documented order: the first failing one is the reason
                new Case("ACCOUNT_NOT_OWNED", CLIENT_B, usd, 999_999_999, "KRW"),
                new Case("CURRENCY_MISMATCH", CLIENT_A, funded, 999_999_999, "USD"));
        try (BrokerProbe probe = listen()) {
            for (Case c : cases) {
                UUID transfer = UUID.randomUUID();
                publish("ledger.hold", transfer, holdPayload(transfer, c.client(), c.account(), c.amount(), c.currency()));
                JsonPath rejected = awaitEvent(probe, "ledger.hold-rejected", transfer);
                assertThat(rejected.getString("payload.reason")).as(c.toString()).isEqualTo(c.reason());
                assertThat(events(probe, "ledger.hold-placed", transfer)).isEmpty();
                assertThat(Ledger.postingsOf(transfer)).as(c.toString()).isZero();
                assertThat(Rows.count("select count(*) from hold_requests where transfer_id = ?::uuid"
                        + " and outcome = 'REJECTED' and reason = ?", transfer.toString(), c.reason())).isEqualTo(1);
            }
        }
        assertThat(available(funded)).isEqualTo(1000);
        assertThat(held(funded)).isZero();
        assertBalanceRowAgreesWithEntries(funded);
        org.assertj.core.api.Assertions.assertThat(metric("payout_ledger_hold_rejections", "INSUFFICIENT_FUNDS"))
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aRepeatedHoldUnderANewMessageIdAnswersPlacedAgainWithoutASecondPosting() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID transfer = UUID.randomUUID();
        String payload = holdPayload(transfer, CLIENT_A, account, 400, "KRW");
        try (BrokerProbe probe = listen()) {
            awaitConsumed(publish("ledger.hold", transfer, payload));
            awaitConsumed(publish("ledger.hold", transfer, payload));

            await().atMost(WAIT).until(() -> events(probe, "ledger.hold-placed", transfer).size() == 2);
        }
        assertThat(postings(transfer, "HOLD")).isEqualTo(1);
        assertThat(available(account)).isEqualTo(600);
        assertThat(held(account)).isEqualTo(400);
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void aRefusedHoldStaysRefusedWhenRepeatedAfterTheMoneyArrives() throws Exception {
        String account = account(CLIENT_A, 100);
        UUID transfer = UUID.randomUUID();
        String payload = holdPayload(transfer, CLIENT_A, account, 500, "KRW");
        try (BrokerProbe probe = listen()) {
            awaitConsumed(publish("ledger.hold", transfer, payload));
            deposit(account, "1000");
            awaitConsumed(publish("ledger.hold", transfer, payload));

            await().atMost(WAIT).until(() -> events(probe, "ledger.hold-rejected", transfer).size() == 2);
            assertThat(events(probe, "ledger.hold-rejected", transfer))
                    .allSatisfy(e -> assertThat(e.getString("payload.reason")).isEqualTo("INSUFFICIENT_FUNDS"));
            assertThat(events(probe, "ledger.hold-placed", transfer)).isEmpty();
        }
        assertThat(postings(transfer, "HOLD")).isZero();
        assertThat(available(account)).isEqualTo(1100);
        assertThat(held(account)).isZero();
    }

    @Test
    void aRedeliveredHoldPostsOnceEvenWhenDeliveredConcurrently() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID transfer = UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        String payload = holdPayload(transfer, CLIENT_A, account, 250, "KRW");
        publish("ledger.hold", transfer, payload, messageId);
        publish("ledger.hold", transfer, payload, messageId);
        Concurrently.run(5, () -> {
            publish("ledger.hold", transfer, payload, messageId);
            return null;
        });

        awaitConsumed(messageId);
        // let every copy be consumed: the inbox absorbs them without an effect
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> postings(transfer, "HOLD") == 1);
        assertThat(Rows.count("select count(*) from outbox where aggregate_id = ? and type = 'ledger.hold-placed'",
                transfer.toString())).isEqualTo(1);
        assertThat(available(account)).isEqualTo(750);
        assertThat(held(account)).isEqualTo(250);
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void concurrentRepeatsOfOneHoldUnderNewMessageIdsPostOnce() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID transfer = UUID.randomUUID();
        String payload = holdPayload(transfer, CLIENT_A, account, 100, "KRW");
        List<String> ids = Concurrently.run(6, () -> publish("ledger.hold", transfer, payload));

        ids.forEach(Ledger::awaitConsumed);
        assertThat(postings(transfer, "HOLD")).isEqualTo(1);
        assertThat(held(account)).isEqualTo(100);
        assertThat(available(account)).isEqualTo(900);
    }

    @Test
    void twentyConcurrentHoldsOfTenAgainstOneHundredPlaceExactlyTen() throws Exception {
        String account = account(CLIENT_A, 100);
        List<UUID> transfers = java.util.stream.IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID()).toList();
        AtomicInteger next = new AtomicInteger();
        try (BrokerProbe probe = listen()) {
            Concurrently.run(20, () -> {
                UUID transfer = transfers.get(next.getAndIncrement());
                return publish("ledger.hold", transfer, holdPayload(transfer, CLIENT_A, account, 10, "KRW"));
            });

            await().atMost(WAIT).until(() -> transfers.stream().allMatch(t ->
                    events(probe, "ledger.hold-placed", t).size() + events(probe, "ledger.hold-rejected", t).size() == 1));
            long placed = transfers.stream().filter(t -> !events(probe, "ledger.hold-placed", t).isEmpty()).count();
            List<String> reasons = transfers.stream().flatMap(t -> events(probe, "ledger.hold-rejected", t).stream())
                    .map(e -> e.getString("payload.reason")).toList();
            assertThat(placed).isEqualTo(10);
            assertThat(reasons).hasSize(10).containsOnly("INSUFFICIENT_FUNDS");
        }
        assertThat(Rows.count("select count(*) from postings p join hold_requests h on h.posting_id = p.id"
                + " where h.account_id = ? and p.kind = 'HOLD'", account)).isEqualTo(10);
        assertThat(available(account)).isZero();
        assertThat(held(account)).isEqualTo(100);
        assertBalanceRowAgreesWithEntries(account);
        assertThat(lowestRunningBalance(account)).as("available never went below zero").isGreaterThanOrEqualTo(0);
        assertLedgerBalanced();
    }

    /** The account's entries replayed in insertion order: the lowest balance it ever had. */
    private static long lowestRunningBalance(String account) throws Exception {
        try (Connection c = io.payout.testsupport.TestInfra.connect(ServiceTestResource.database());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select amount_minor from entries where account_id = '" + account
                     + "' order by id")) {
            long running = 0;
            long lowest = 0;
            while (rs.next()) {
                running += rs.getLong(1);
                lowest = Math.min(lowest, running);
            }
            return lowest;
        }
    }

    private static double metric(String name, String reason) {
        String body = Ledger.get(null, "/q/metrics").then().statusCode(200).extract().asString();
        return body.lines()
                .filter(l -> l.startsWith(name) && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
