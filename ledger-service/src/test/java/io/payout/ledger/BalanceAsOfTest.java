package io.payout.ledger;

import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.CLIENT_B;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.client;
import static io.payout.ledger.Ledger.get;
import static io.payout.ledger.Ledger.hold;
import static io.payout.ledger.Ledger.ops;
import static io.payout.ledger.Ledger.post;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.releasePayload;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /v1/accounts/{id}/balance?as_of=}: replayed from the entries, it must match, at every instant, a
 * balance computed here from the known history (what happened, by how much, and when the database says it did).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class BalanceAsOfTest {

    /** One step of the history: when it was posted and how it moved the account's available and held. */
    private record Step(String what, Instant at, long available, long held) {
    }

    @Test
    void balanceAsOfSeveralInstantsMatchesTheHistory() throws Exception {
        String a = account(CLIENT_A, 0);
        String b = account(CLIENT_B, 100); // shares holds:KRW with a: its holds must not count as a's
        List<Step> history = new ArrayList<>();

        String dep1 = deposit(a, "1000");
        history.add(new Step("deposit", depositedAt(dep1), 1000, 0));
        UUID t1 = hold(CLIENT_A, a, 300);
        history.add(new Step("hold t1", postedAt(t1, "HOLD"), -300, 300));
        UUID tb = hold(CLIENT_B, b, 50);
        UUID t2 = hold(CLIENT_A, a, 200);
        history.add(new Step("hold t2", postedAt(t2, "HOLD"), -200, 200));
        awaitConsumed(publish("ledger.settle", t1, settlePayload(t1, 300, "KRW", "REF-ASOF-1")));
        history.add(new Step("settle t1", postedAt(t1, "SETTLE"), 0, -300));
        awaitConsumed(publish("ledger.release", tb, releasePayload(tb, 50, "KRW")));
        awaitConsumed(publish("ledger.release", t2, releasePayload(t2, 200, "KRW")));
        history.add(new Step("release t2", postedAt(t2, "RELEASE"), 200, -200));
        UUID t3 = hold(CLIENT_A, a, 100);
        history.add(new Step("hold t3", postedAt(t3, "HOLD"), -100, 100));
        String dep2 = deposit(a, "50");
        history.add(new Step("deposit 2", depositedAt(dep2), 50, 0));

        List<Instant> instants = new ArrayList<>();
        instants.add(history.getFirst().at().minusSeconds(1));
        for (int i = 0; i < history.size(); i++) {
            Instant at = history.get(i).at();
            instants.add(at.minus(1, ChronoUnit.MICROS));
            instants.add(at);
            if (i + 1 < history.size()) {
                instants.add(at.plus(Duration.between(at, history.get(i + 1).at()).dividedBy(2)));
            }
        }
        instants.add(Instant.now().plus(1, ChronoUnit.DAYS));

        for (int i = 0; i < instants.size(); i++) {
            Instant q = instants.get(i);
            long available = 0;
            long held = 0;
            for (Step s : history) {
                if (!s.at().isAfter(q)) {
                    available += s.available();
                    held += s.held();
                }
            }
            // alternate the notations RFC 3339 allows: UTC "Z" and a +09:00 offset
            String asOf = i % 2 == 0 ? q.toString() : q.atOffset(ZoneOffset.ofHours(9)).toString();
            JsonPath balance = balanceAsOf(a, asOf).then().statusCode(200).extract().jsonPath();
            assertThat(balance.getString("available")).as("available as of %s", asOf).isEqualTo(Long.toString(available));
            assertThat(balance.getString("held")).as("held as of %s", asOf).isEqualTo(Long.toString(held));
            assertThat(Instant.parse(balance.getString("as_of"))).isEqualTo(q);
        }

        // the newest as_of agrees with the maintained balance row
        get(client(CLIENT_A), "/v1/accounts/" + a).then().statusCode(200)
                .body("available", equalTo("650")).body("held", equalTo("100"));
        get(ops(), "/v1/accounts/" + b + "/balance").then().statusCode(200)
                .body("available", equalTo("100")).body("held", equalTo("0"));
    }

    @Test
    void anInvalidInstantIsRefused() {
        String a = account(CLIENT_A, 0);
        for (String bad : List.of("yesterday", "2026-11-21T10:00:00", "2026-13-01T00:00:00Z", "2026-11-21")) {
            balanceAsOf(a, bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("VALIDATION_FAILED"))
                    .body("errors[0].field", equalTo("as_of"));
        }
    }

    private static String deposit(String account, String amount) {
        String reference = "dep-" + UUID.randomUUID();
        post(ops(), "/v1/accounts/" + account + "/deposits",
                "{\"amount\":\"" + amount + "\",\"reference\":\"" + reference + "\"}").then().statusCode(201);
        return reference;
    }

    private static Instant depositedAt(String reference) throws Exception {
        return instant("select created_at from postings where kind = 'DEPOSIT' and reference = ?", reference);
    }

    private static Instant postedAt(UUID transfer, String kind) throws Exception {
        return instant("select created_at from postings where transfer_id = '" + transfer + "'::uuid and kind = ?", kind);
    }

    private static Instant instant(String sql, String param) throws Exception {
        try (Connection c = TestInfra.connect(ServiceTestResource.database());
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static io.restassured.response.Response balanceAsOf(String account, String asOf) {
        return io.restassured.RestAssured.given().header("Authorization", client(CLIENT_A)).queryParam("as_of", asOf)
                .when().get("/v1/accounts/" + account + "/balance");
    }
}
