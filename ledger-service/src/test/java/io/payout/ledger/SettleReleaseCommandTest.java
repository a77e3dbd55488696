package io.payout.ledger;

import io.payout.testsupport.Concurrently;
import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.DeadLetterRows.Kept;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.CLIENT_B;
import static io.payout.ledger.Ledger.WAIT;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.assertBalanceRowAgreesWithEntries;
import static io.payout.ledger.Ledger.assertLedgerBalanced;
import static io.payout.ledger.Ledger.available;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.held;
import static io.payout.ledger.Ledger.hold;
import static io.payout.ledger.Ledger.ops;
import static io.payout.ledger.Ledger.postings;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.releasePayload;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** {@code ledger.settle} and {@code ledger.release} through the real broker: one of the two per transfer, once. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class SettleReleaseCommandTest {

    @Test
    void settleMovesTheHoldToBankClearingAndKeepsTheExternalRef() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        awaitConsumed(publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "REF-S-1")));

        assertThat(postings(transfer, "SETTLE")).isEqualTo(1);
        assertThat(Rows.count("select count(*) from postings where transfer_id = ?::uuid and kind = 'SETTLE'"
                + " and external_ref = 'REF-S-1'", transfer.toString())).isEqualTo(1);
        assertThat(Rows.count("""
                select count(*) from entries e join postings p on p.id = e.posting_id
                 where p.transfer_id = ?::uuid and p.kind = 'SETTLE'
                   and ((e.account_id = 'holds:KRW' and e.amount_minor = -300)
                     or (e.account_id = 'bank-clearing:KRW' and e.amount_minor = 300))""", transfer.toString()))
                .isEqualTo(2);
        assertThat(available(account)).isEqualTo(700);
        assertThat(held(account)).isZero();
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void releaseGivesTheHoldBackToAvailable() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        awaitConsumed(publish("ledger.release", transfer, releasePayload(transfer, 300, "KRW")));

        assertThat(postings(transfer, "RELEASE")).isEqualTo(1);
        assertThat(Rows.count("""
                select count(*) from entries e join postings p on p.id = e.posting_id
                 where p.transfer_id = ?::uuid and p.kind = 'RELEASE'
                   and ((e.account_id = 'holds:KRW' and e.amount_minor = -300)
                     or (e.account_id = ? and e.amount_minor = 300))""", transfer.toString(), account)).isEqualTo(2);
        assertThat(available(account)).isEqualTo(1000);
        assertThat(held(account)).isZero();
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void releaseAfterSettleIsRefusedAndWritesNothing() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        awaitConsumed(publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "REF-SR")));
        var before = Ledger.Written.now();
        awaitConsumed(publish("ledger.release", transfer, releasePayload(transfer, 300, "KRW")));

        assertThat(Ledger.Written.now()).isEqualTo(before);
        assertThat(postings(transfer, "RELEASE")).isZero();
        assertThat(available(account)).isEqualTo(700);
        assertThat(held(account)).isZero();
    }

    @Test
    void settleAfterReleaseIsRefusedAndWritesNothing() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        awaitConsumed(publish("ledger.release", transfer, releasePayload(transfer, 300, "KRW")));
        var before = Ledger.Written.now();
        awaitConsumed(publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "REF-RS")));

        assertThat(Ledger.Written.now()).isEqualTo(before);
        assertThat(postings(transfer, "SETTLE")).isZero();
        assertThat(available(account)).isEqualTo(1000);
        assertThat(metric("payout_ledger_postings_refused", "kind=\"SETTLE\"")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void concurrentSettleAndReleaseOfOneTransferWriteExactlyOne() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        List<String> ids = Concurrently.run(6, () -> {
            boolean settle = Thread.currentThread().threadId() % 2 == 0;
            return settle
                    ? publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "REF-X"))
                    : publish("ledger.release", transfer, releasePayload(transfer, 300, "KRW"));
        });

        ids.forEach(Ledger::awaitConsumed);
        assertThat(Rows.count("select count(*) from postings where transfer_id = ?::uuid"
                + " and kind in ('SETTLE', 'RELEASE')", transfer.toString())).isEqualTo(1);
        assertThat(held(account)).isZero();
        assertThat(available(account)).isIn(700L, 1000L);
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void aRedeliveredSettleOrReleasePostsOnceEvenConcurrently() throws Exception {
        String account = account(CLIENT_A, 1000);
        UUID settled = hold(CLIENT_A, account, 100);
        UUID released = hold(CLIENT_A, account, 200);
        for (String[] c : List.of(
                new String[]{"ledger.settle", settled.toString(), settlePayload(settled, 100, "KRW", "REF-D")},
                new String[]{"ledger.release", released.toString(), releasePayload(released, 200, "KRW")})) {
            UUID transfer = UUID.fromString(c[1]);
            String messageId = UUID.randomUUID().toString();
            publish(c[0], transfer, c[2], messageId);
            publish(c[0], transfer, c[2], messageId);
            Concurrently.run(4, () -> {
                publish(c[0], transfer, c[2], messageId);
                return null;
            });
            awaitConsumed(messageId);
            // the same command again under a new message id: a no-op as well
            awaitConsumed(publish(c[0], transfer, c[2]));
        }
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() ->
                postings(settled, "SETTLE") == 1 && postings(released, "RELEASE") == 1);
        assertThat(Ledger.postingsOf(settled)).isEqualTo(2);
        assertThat(Ledger.postingsOf(released)).isEqualTo(2);
        assertThat(available(account)).isEqualTo(900);
        assertThat(held(account)).isZero();
        assertBalanceRowAgreesWithEntries(account);
    }

    @Test
    void settleOrReleaseWithoutAPlacedHoldIsDeadLetteredWithTheReason() {
        String poor = account(CLIENT_A, 0);
        UUID refused = hold(CLIENT_A, poor, 100); // INSUFFICIENT_FUNDS: no hold to end
        UUID unknown = UUID.randomUUID();
        String funded = account(CLIENT_A, 1000);
        UUID wrongAmount = hold(CLIENT_A, funded, 100);
        var before = Ledger.Written.now();
        String settleUnknown = publish("ledger.settle", unknown, settlePayload(unknown, 100, "KRW", "REF-P"));
        String releaseRefused = publish("ledger.release", refused, releasePayload(refused, 100, "KRW"));
        String releaseWrong = publish("ledger.release", wrongAmount, releasePayload(wrongAmount, 99, "KRW"));

        // what the dead-letter queue delivered, as the service keeps it for ops
        List<Kept> kept = List.of(DeadLetterRows.awaitMessage(settleUnknown),
                DeadLetterRows.awaitMessage(releaseRefused), DeadLetterRows.awaitMessage(releaseWrong));
        assertThat(kept.get(0).reason()).contains("no hold placed for transfer " + unknown);
        assertThat(kept.get(1).reason()).contains("no hold placed for transfer " + refused);
        assertThat(kept.get(2).reason()).contains("differs from its hold");
        assertThat(kept).extracting(Kept::queue).containsOnly("ledger.commands");
        assertThat(kept).extracting(k -> k.header("x-payout-queue")).containsOnly("ledger.commands");
        assertThat(Ledger.Written.now()).isEqualTo(before);
        assertThat(held(funded)).isEqualTo(100);
    }

    @Test
    void totalsAreZeroAfterAMixedHistory() {
        String a = account(CLIENT_A, 5000);
        String b = account(CLIENT_B, 3000);
        String usd = account(CLIENT_A, "USD", 12_345);
        UUID t1 = hold(CLIENT_A, a, 1000);
        UUID t2 = hold(CLIENT_A, a, 700);
        UUID t3 = hold(CLIENT_B, b, 2500);
        hold(CLIENT_B, b, 2500); // INSUFFICIENT_FUNDS
        UUID t5 = Ledger.hold(CLIENT_A, a, 300);
        UUID u1 = UUID.randomUUID();
        awaitConsumed(publish("ledger.hold", u1, Ledger.holdPayload(u1, CLIENT_A, usd, 345, "USD")));
        awaitConsumed(publish("ledger.settle", t1, settlePayload(t1, 1000, "KRW", "REF-M1")));
        awaitConsumed(publish("ledger.release", t2, releasePayload(t2, 700, "KRW")));
        awaitConsumed(publish("ledger.settle", t3, settlePayload(t3, 2500, "KRW", "REF-M3")));
        awaitConsumed(publish("ledger.release", t3, releasePayload(t3, 2500, "KRW"))); // refused
        awaitConsumed(publish("ledger.settle", u1, settlePayload(u1, 345, "USD", "REF-MU")));

        Ledger.get(ops(), "/v1/ledger/totals").then().statusCode(200)
                .body("totals.find { it.currency == 'KRW' }.sum", equalTo("0"))
                .body("totals.find { it.currency == 'USD' }.sum", equalTo("0.00"));
        assertLedgerBalanced();
        for (String account : List.of(a, b, usd)) {
            assertBalanceRowAgreesWithEntries(account);
        }
        assertThat(available(a)).isEqualTo(5000 - 1000 - 300);
        assertThat(held(a)).isEqualTo(300);
        assertThat(postings(t5, "HOLD")).isEqualTo(1);
        assertThat(available(b)).isEqualTo(500);
        assertThat(held(b)).isZero();
        assertThat(available(usd)).isEqualTo(12_000);
        Ledger.get(ops(), "/v1/accounts/bank-clearing:USD").then().statusCode(200);
    }

    private static double metric(String name, String tag) {
        String body = Ledger.get(null, "/q/metrics").then().statusCode(200).extract().asString();
        return body.lines()
                .filter(l -> l.startsWith(name) && l.contains(tag))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
