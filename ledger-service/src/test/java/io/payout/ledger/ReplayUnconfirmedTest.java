package io.payout.ledger;

import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A replay the broker does not confirm: 503, the dead letter unchanged, no replay audited — only the failed attempt.
 * Its own profile (one more application boot): replays go to an exchange that does not exist, which the real broker
 * refuses (it closes the channel, no confirm comes).
 */
@QuarkusTest
@TestProfile(ReplayUnconfirmedTest.NoReplayExchange.class)
@WithTestResource(ServiceTestResource.class)
class ReplayUnconfirmedTest {

    public static class NoReplayExchange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.outgoing.replays.exchange.name", "payout.no-such-exchange",
                    "mp.messaging.outgoing.replays.exchange.declare", "false",
                    "payout.dead-letters.replay-confirm-timeout-ms", "2000");
        }
    }

    @Test
    void aReplayTheBrokerDoesNotConfirmAnswers503AndChangesNothing() {
        UUID id = UUID.randomUUID();
        DeadLetterRows.publish(ServiceTestResource.vhost(), "ledger.commands", "ledger.commands", id,
                UUID.randomUUID().toString(), Instant.now());
        DeadLetterRows.await(k -> id.equals(k.id()));

        given().header("Authorization", "Bearer " + Tokens.forClient("ops-1", "ops"))
                .contentType("application/json").body("{\"reason\":\"try while the broker is broken\"}")
                .post("/v1/ops/dead-letters/" + id + "/replay")
                .then().statusCode(503).contentType("application/problem+json")
                .body("code", equalTo("BROKER_UNAVAILABLE"));

        DeadLetterRows.Kept kept = DeadLetterRows.await(k -> id.equals(k.id()));
        assertThat(kept.replayCount()).isZero();
        assertThat(kept.replayedBy()).isNull();
        assertThat(Rows.count("select count(*) from ops_audit where target = ? and action = 'dead-letter.replay'",
                id.toString())).isZero();
        assertThat(Rows.count("select count(*) from ops_audit where target = ? and action = 'dead-letter.replay-failed'"
                + " and actor = 'ops-1' and reason = 'try while the broker is broken'", id.toString())).isEqualTo(1);
    }
}
