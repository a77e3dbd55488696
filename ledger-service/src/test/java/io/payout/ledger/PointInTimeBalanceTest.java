package io.payout.ledger;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.CLIENT_B;
import static io.payout.ledger.Ledger.WAIT;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.get;
import static io.payout.ledger.Ledger.holdPayload;
import static io.payout.ledger.Ledger.ops;
import static io.payout.ledger.Ledger.post;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.releasePayload;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Point-in-time balances over a long history: several hundred postings (deposits through the API; holds, settles and
 * releases through the real broker, in bursts the ledger consumes concurrently), then the balance of two customers
 * sharing {@code holds:KRW} asked as of the instant just before and the instant of EVERY posting of the history.
 * <p>
 * The oracle is a running total kept by this test from what it posted (each operation's known effect on available
 * and held), placed in time by each posting's instant as the database recorded it ({@code entries.created_at}, the
 * posting transaction's {@code now()}). It shares nothing with the service's {@code BalanceReader}: no SQL of it, no
 * attribution of holds-account entries to customers. Unlike {@code BalanceAsOfTest} (a handful of hand-picked
 * steps and instants between them), this covers every boundary of a history whose postings interleave two accounts,
 * commit concurrently and sometimes share an instant.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class PointInTimeBalanceTest {
    /** A posting the test caused, its instant, and its effect on each customer's (available, held). */
    private record Effect(UUID postingId, Instant at, String account, long available, long held) {
    }

    /** What the test asked for; the posting it became is found afterwards. */
    private record Asked(String kind, UUID transfer, String reference, String account, long amount) {
    }

    @Test
    void balanceAsOfEveryPostingBoundaryMatchesARunningTotalOfWhatWasPosted() throws Exception {
        Random random = new Random(20261121);
        String a = account(CLIENT_A, 0);
        String b = account(CLIENT_B, 0);
        List<Asked> asked = new ArrayList<>();

        // 60 deposits through the API
        for (int i = 0; i < 60; i++) {
            String acc = i % 3 == 2 ? b : a;
            asked.add(deposit(acc, 600 + random.nextInt(400)));
        }
        // 140 holds at once: the ledger takes them on several consumers, in whatever order
        List<Asked> holds = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 140; i++) {
            String acc = i % 7 < 5 ? a : b;
            String client = acc.equals(a) ? CLIENT_A : CLIENT_B;
            Asked h = new Asked("HOLD", UUID.randomUUID(), null, acc, 1 + random.nextInt(200));
            holds.add(h);
            messages.add(publish("ledger.hold", h.transfer(),
                    holdPayload(h.transfer(), client, acc, h.amount(), "KRW")));
        }
        awaitAllConsumed(messages);
        asked.addAll(holds);
        // then 70 settles and 40 releases at once; 30 holds stay open
        messages.clear();
        for (int i = 0; i < 110; i++) {
            Asked h = holds.get(i);
            boolean settle = i % 11 < 7;
            Asked done = new Asked(settle ? "SETTLE" : "RELEASE", h.transfer(), null, h.account(), h.amount());
            asked.add(done);
            messages.add(settle
                    ? publish("ledger.settle", h.transfer(), settlePayload(h.transfer(), h.amount(), "KRW",
                    "T991234560U" + String.format("%09d", i)))
                    : publish("ledger.release", h.transfer(), releasePayload(h.transfer(), h.amount(), "KRW")));
        }
        // deposits keep coming while the burst is consumed
        for (int i = 0; i < 12; i++) {
            asked.add(deposit(i % 2 == 0 ? a : b, 100 + random.nextInt(100)));
        }
        awaitAllConsumed(messages);

        List<Effect> history = effects(asked);
        assertThat(history).as("postings of the history").hasSizeGreaterThanOrEqualTo(300);

        // every boundary of every posting: the instant just before it (1 µs, timestamptz's resolution) and its own.
        // Each customer is asked at the boundaries of its own postings; those of the other customer (sharing
        // holds:KRW) lie in between and are in the running totals, so counting them for the wrong customer shows.
        List<Effect> byTime = new ArrayList<>(history);
        byTime.sort((x, y) -> x.at().compareTo(y.at()));
        TreeMap<Instant, Set<String>> boundaries = new TreeMap<>();
        for (Effect e : history) {
            boundaries.computeIfAbsent(e.at().minus(1, ChronoUnit.MICROS), k -> new TreeSet<>()).add(e.account());
            boundaries.computeIfAbsent(e.at(), k -> new TreeSet<>()).add(e.account());
        }
        Map<String, long[]> running = new HashMap<>(Map.of(a, new long[2], b, new long[2]));
        String ops = ops();
        int next = 0;
        int checked = 0;
        for (Map.Entry<Instant, Set<String>> boundary : boundaries.entrySet()) {
            Instant q = boundary.getKey();
            while (next < byTime.size() && !byTime.get(next).at().isAfter(q)) {
                Effect e = byTime.get(next++);
                running.get(e.account())[0] += e.available();
                running.get(e.account())[1] += e.held();
            }
            for (String acc : boundary.getValue()) {
                JsonPath balance = get(ops, "/v1/accounts/" + acc + "/balance?as_of=" + q).then().statusCode(200)
                        .extract().jsonPath();
                long[] expected = running.get(acc);
                assertThat(balance.getString("available")).as("available of %s as of %s", acc, q)
                        .isEqualTo(Long.toString(expected[0]));
                assertThat(balance.getString("held")).as("held of %s as of %s", acc, q)
                        .isEqualTo(Long.toString(expected[1]));
                checked++;
            }
        }
        assertThat(checked).as("balances checked").isGreaterThanOrEqualTo(2 * history.size());
        // the newest boundary agrees with the maintained balance rows
        for (String acc : List.of(a, b)) {
            assertThat(Ledger.available(acc)).isEqualTo(running.get(acc)[0]);
            assertThat(Ledger.held(acc)).isEqualTo(running.get(acc)[1]);
        }
    }

    private static Asked deposit(String account, long amount) {
        String reference = "dep-" + UUID.randomUUID();
        post(ops(), "/v1/accounts/" + account + "/deposits",
                "{\"amount\":\"" + amount + "\",\"reference\":\"" + reference + "\"}").then().statusCode(201);
        return new Asked("DEPOSIT", null, reference, account, amount);
    }

    private static void awaitAllConsumed(List<String> messageIds) {
        String ids = "'" + String.join("','", messageIds) + "'";
        await().atMost(WAIT).until(() -> Rows.count("select count(*) from inbox where consumer = 'ledger.commands'"
                + " and message_id in (" + ids + ")") == messageIds.size());
    }

    /**
     * Each asked operation's posting and its instant, from the tables directly. Every posting must exist (a hold
     * refused for funds would break the arithmetic: the deposits cover every hold), and all entries of a posting
     * share one instant.
     */
    private static List<Effect> effects(List<Asked> asked) throws Exception {
        List<Effect> out = new ArrayList<>();
        try (Connection c = TestInfra.connect(ServiceTestResource.database());
             PreparedStatement byTransfer = c.prepareStatement("""
                     select p.id, min(e.created_at), max(e.created_at) from postings p join entries e on e.posting_id = p.id
                      where p.transfer_id = ? and p.kind = ? group by p.id""");
             PreparedStatement byReference = c.prepareStatement("""
                     select p.id, min(e.created_at), max(e.created_at) from postings p join entries e on e.posting_id = p.id
                      where p.reference = ? and p.kind = 'DEPOSIT' group by p.id""")) {
            for (Asked x : asked) {
                PreparedStatement ps;
                if (x.kind().equals("DEPOSIT")) {
                    ps = byReference;
                    ps.setString(1, x.reference());
                } else {
                    ps = byTransfer;
                    ps.setObject(1, x.transfer());
                    ps.setString(2, x.kind());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("the %s posting of %s", x.kind(), x).isTrue();
                    Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
                    assertThat(rs.getObject(3, OffsetDateTime.class).toInstant()).as("one instant per posting")
                            .isEqualTo(at);
                    UUID id = rs.getObject(1, UUID.class);
                    long amt = x.amount();
                    out.add(switch (x.kind()) {
                        case "DEPOSIT" -> new Effect(id, at, x.account(), amt, 0);
                        case "HOLD" -> new Effect(id, at, x.account(), -amt, amt);
                        case "SETTLE" -> new Effect(id, at, x.account(), 0, -amt);
                        case "RELEASE" -> new Effect(id, at, x.account(), amt, -amt);
                        default -> throw new IllegalStateException(x.kind());
                    });
                    assertThat(rs.next()).isFalse();
                }
            }
        }
        return out;
    }
}
