package io.payout.testsupport;

import io.payout.testsupport.DeadLetterRows.Kept;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * What every consuming service does with its dead letters, as tests a {@code @QuarkusTest} class inherits by
 * extending this with its own poison (a message it cannot process until something is fixed): the message is kept in
 * {@code dead_letters} with its reason, listed to ops, replayed after the fix with the effect exactly once however
 * often it is replayed, every replay audited, every refused replay changing nothing.
 * <p>
 * Besides the subclass's poison, the tests publish dead letters straight to the dead-letter exchange (as the
 * consumer does when it gives up), naming a queue of their own so that what they list is theirs alone.
 */
public abstract class DeadLetterContract {
    protected static final String OPS = "ops-dead-letters";
    protected static final Duration WAIT = DeadLetterRows.WAIT;
    private static final String REPLAY = "dead-letter.replay";

    /** The service's consumer queue, e.g. {@code ledger.commands}. */
    protected abstract String queue();

    /** Publishes, as the other services would, a message this service cannot process until {@link Poison#fix()}. */
    protected abstract Poison poison();

    /** One poison message of the service under test and the cure of its cause. */
    public interface Poison {
        String messageId();

        /** A part of the reason the consumer gives when it dead-letters the message. */
        String reason();

        /** Removes the cause (e.g. places the missing hold) and returns once that is committed. */
        void fix();

        /** How many times the message's effect exists, counted in rows: 0 until fixed and replayed, then 1. */
        long effects();
    }

    @Test
    public void aPoisonMessageIsKeptWithItsReasonAndAttemptsAndListedForOps() {
        Poison p = poison();
        Kept kept = DeadLetterRows.awaitMessage(p.messageId());

        assertThat(kept.queue()).isEqualTo(queue());
        assertThat(kept.reason()).contains(p.reason());
        assertThat(kept.attempts()).as("payout.inbox.delivery-attempts-max").isEqualTo(5);
        assertThat(kept.body()).contains(p.messageId());
        assertThat(kept.replayCount()).isZero();
        assertThat(p.effects()).isZero();
        ops().get("/v1/ops/dead-letters?state=open&queue=" + queue()).then().statusCode(200)
                .body("items.id", hasItem(kept.id().toString()));
        ops().get("/v1/ops/dead-letters/" + kept.id()).then().statusCode(200)
                .body("id", equalTo(kept.id().toString()))
                .body("queue", equalTo(queue()))
                .body("message_id", equalTo(p.messageId()))
                .body("type", equalTo(kept.type()))
                .body("attempts", equalTo(5))
                .body("replay_count", equalTo(0))
                .body("dead_lettered_at", notNullValue())
                .body("payload.message_id", equalTo(p.messageId()));
    }

    @Test
    public void aDeadLetterDeliveredTwiceByItsQueueIsKeptOnce() {
        double before = metric("payout_dead_letters_kept_total", "outcome=\"redelivered\"");
        UUID id = UUID.randomUUID();
        String withId = UUID.randomUUID().toString();
        String withoutId = UUID.randomUUID().toString();
        String body = envelope(withoutId);
        for (int i = 0; i < 2; i++) {
            deadLetter(queue(), id, withId, Instant.now());
            // no header of ours at all (as when the broker dead-letters by itself): keyed by a hash of the message
            BrokerProbe.publish(vhost(), DeadLetterRows.DLX, queue(), withoutId, "test.poison", null, body);
        }

        await().atMost(WAIT).until(() ->
                metric("payout_dead_letters_kept_total", "outcome=\"redelivered\"") >= before + 2);
        assertThat(DeadLetterRows.countOf(database(), withId)).isEqualTo(1);
        assertThat(DeadLetterRows.countOf(database(), withoutId)).isEqualTo(1);
        assertThat(DeadLetterRows.matching(database(), k -> withId.equals(k.messageId())).getFirst().id())
                .isEqualTo(id);
        assertThat(DeadLetterRows.matching(database(), k -> withoutId.equals(k.messageId())).getFirst().queue())
                .as("the queue it was dead-lettered from").isEqualTo(queue());
    }

    @Test
    public void listingFiltersByQueueAndStateAndPagesNewestFirst() {
        String queue = fakeQueue();
        Instant t = Instant.now().minusSeconds(60);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        deadLetter(queue, a, UUID.randomUUID().toString(), t);
        deadLetter(queue, b, UUID.randomUUID().toString(), t.plusSeconds(1));
        deadLetter(queue, c, UUID.randomUUID().toString(), t.plusSeconds(2));
        await().atMost(WAIT).until(() -> DeadLetterRows.matching(database(), k -> queue.equals(k.queue())).size() == 3);

        String list = "/v1/ops/dead-letters?queue=" + queue;
        ops().get(list + "&size=2&page=0").then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.id", contains(c.toString(), b.toString()));
        ops().get(list + "&size=2&page=1").then().statusCode(200).body("items.id", contains(a.toString()));
        ops().get(list + "&state=replayed").then().statusCode(200).body("items", empty());
        ops().get("/v1/ops/dead-letters?queue=" + queue()).then().statusCode(200)
                .body("items.id", not(hasItem(a.toString())));

        replay(b, "listed as replayed afterwards").then().statusCode(200);
        ops().get(list + "&state=replayed").then().statusCode(200).body("items.id", contains(b.toString()));
        ops().get(list + "&state=open").then().statusCode(200).body("items.id", contains(c.toString(), a.toString()));
        ops().get(list + "&state=all").then().statusCode(200)
                .body("items.id", contains(c.toString(), b.toString(), a.toString()));

        for (String bad : List.of("&state=closed", "&size=0", "&size=100000", "&page=-1")) {
            ops().get(list + bad).then().statusCode(400).contentType("application/problem+json")
                    .body("code", equalTo("VALIDATION_FAILED"));
        }
    }

    @Test
    public void fixingTheCauseThenReplayingHasTheEffectOnceHoweverOftenItIsReplayed() throws Exception {
        Poison p = poison();
        Kept kept = DeadLetterRows.awaitMessage(p.messageId());
        assertThat(p.effects()).isZero();
        p.fix();
        assertThat(p.effects()).as("fixing the cause replays nothing by itself").isZero();
        double duplicates = metric("payout_duplicates_blocked_total", "layer=\"inbox\"");

        try (BrokerProbe replays = BrokerProbe.bind(vhost(), "replay." + queue())) {
            replay(kept.id(), "cause fixed, replaying").then().statusCode(200)
                    .body("id", equalTo(kept.id().toString()))
                    .body("message_id", equalTo(p.messageId()))
                    .body("replay_count", equalTo(1))
                    .body("replayed_by", equalTo(OPS))
                    .body("replayed_at", notNullValue());
            await().atMost(WAIT).until(() -> p.effects() == 1);

            replay(kept.id(), "once more by mistake").then().statusCode(200).body("replay_count", equalTo(2));
            List<Integer> concurrent = Concurrently.run(5, () -> replay(kept.id(), "five operators at once")
                    .then().extract().statusCode());
            assertThat(concurrent).containsOnly(200);

            await().atMost(WAIT).until(() -> replays.received().size() == 7);
            assertThat(replays.received()).allSatisfy(m -> {
                assertThat(m.messageId()).isEqualTo(p.messageId());
                assertThat(m.body()).isEqualTo(kept.body());
                assertThat(m.deliveryMode()).isEqualTo(2);
                assertThat(m.header("x-payout-replay-of")).isEqualTo(kept.id().toString());
                assertThat(m.header("x-payout-reason")).as("dead-lettering headers dropped").isNull();
                assertThat(m.header("x-delivery-count")).as("earlier deliveries are not counted again").isNull();
            });
            // all seven reached the consumer: the six after the first found the message id in its inbox
            await().atMost(WAIT).until(() ->
                    metric("payout_duplicates_blocked_total", "layer=\"inbox\"") >= duplicates + 6);
        }
        assertThat(p.effects()).isEqualTo(1);
        Kept after = DeadLetterRows.awaitMessage(p.messageId());
        assertThat(after.replayCount()).isEqualTo(7);
        assertThat(after.replayedBy()).isEqualTo(OPS);
        assertThat(Rows.count("select count(*) from ops_audit where action = ? and target = ? and actor = ?",
                REPLAY, kept.id().toString(), OPS)).isEqualTo(7);
        assertThat(DeadLetterRows.countOf(database(), p.messageId())).as("not dead-lettered again").isEqualTo(1);
    }

    @Test
    public void aKeptDeadLetterIsCountedOpenUntilItIsReplayed() {
        String queue = fakeQueue();
        String open = "payout_dead_letters_open";
        String label = "queue=\"" + queue + "\"";
        UUID first = UUID.randomUUID();
        deadLetter(queue, first, UUID.randomUUID().toString(), Instant.now());
        deadLetter(queue, UUID.randomUUID(), UUID.randomUUID().toString(), Instant.now());
        DeadLetterRows.await(database(), k -> first.equals(k.id()));

        // the gauge is re-read from the table every payout.dead-letters.gauge-interval-ms
        await().atMost(WAIT).until(() -> metric(open, label) == 2);

        replay(first, "counted as replayed afterwards").then().statusCode(200);
        await().atMost(WAIT).until(() -> metric(open, label) == 1);
    }

    /** "ten" is a listed 400 like "-1" (not JAX-RS's bare 404), and no page is so far that its offset overflows. */
    @Test
    public void aBadPageOrSizeOfEitherListIsA400NamingIt() {
        for (String list : List.of("/v1/ops/dead-letters", "/v1/ops/audit")) {
            for (String bad : List.of("?size=ten", "?page=2147483647", "?page=x&size=0")) {
                ops().get(list + bad).then().statusCode(400).contentType("application/problem+json")
                        .body("code", equalTo("VALIDATION_FAILED"))
                        .body("errors.field", hasItem(bad.contains("page") ? "page" : "size"));
            }
        }
    }

    @Test
    public void everyReplayIsAuditedAndTheAuditTrailIsAppendOnly() throws SQLException {
        UUID id = UUID.randomUUID();
        String queue = fakeQueue();
        deadLetter(queue, id, UUID.randomUUID().toString(), Instant.now());
        DeadLetterRows.await(database(), k -> id.equals(k.id()));

        replay(id, "replayed for the audit test").then().statusCode(200);

        List<Map<String, Object>> rows = Rows.query(database(), "select id, actor, action, target, reason,"
                + " details->>'queue' as queue, trace_id from ops_audit where target = ?", id.toString());
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.getFirst();
        assertThat(row).containsEntry("actor", OPS).containsEntry("action", REPLAY)
                .containsEntry("reason", "replayed for the audit test").containsEntry("queue", queue);
        assertThat((String) row.get("trace_id")).isNotBlank();
        ops().get("/v1/ops/audit?action=" + REPLAY + "&size=1").then().statusCode(200)
                .body("items[0].target", equalTo(id.toString()))
                .body("items[0].actor", equalTo(OPS))
                .body("items[0].reason", equalTo("replayed for the audit test"))
                .body("items[0].details.queue", equalTo(queue));

        try (Connection c = TestInfra.connect(database())) {
            for (String sql : List.of("update ops_audit set actor = 'someone-else' where target = '" + id + "'",
                    "delete from ops_audit where target = '" + id + "'", "truncate ops_audit")) {
                assertThatThrownBy(() -> execute(c, sql)).as(sql)
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
        assertThat(Rows.count("select count(*) from ops_audit where target = ? and actor = ?", id.toString(), OPS))
                .isEqualTo(1);
    }

    @Test
    public void refusedReplaysChangeNothing() throws Exception {
        UUID id = UUID.randomUUID();
        String queue = fakeQueue();
        deadLetter(queue, id, UUID.randomUUID().toString(), Instant.now());
        DeadLetterRows.await(database(), k -> id.equals(k.id()));
        long audited = Rows.table("ops_audit");
        String path = "/v1/ops/dead-letters/" + id + "/replay";
        String valid = "{\"reason\":\"a good reason\"}";

        try (BrokerProbe replays = BrokerProbe.bind(vhost(), "replay.#")) {
            given().contentType("application/json").body(valid).post(path).then().statusCode(401)
                    .contentType("application/problem+json").body("code", equalTo("UNAUTHORIZED"));
            as(Tokens.forClient("client-a")).contentType("application/json").body(valid).post(path).then()
                    .statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
            for (String[] bad : List.of(
                    new String[]{"{}", "REQUIRED"},
                    new String[]{"", "REQUIRED"},
                    new String[]{"{\"reason\":\"  \"}", "REQUIRED"},
                    new String[]{"{\"reason\":\"ab\"}", "INVALID_LENGTH"},
                    new String[]{"{\"reason\":\"" + "x".repeat(501) + "\"}", "INVALID_LENGTH"},
                    new String[]{"{\"reason\":\"bell\\u0007\"}", "INVALID_CHARACTERS"},
                    new String[]{"{\"reason\":42}", "WRONG_TYPE"})) {
                ops().contentType("application/json").body(bad[0]).post(path).then()
                        .statusCode(422).contentType("application/problem+json")
                        .body("code", equalTo("VALIDATION_FAILED"))
                        .body("errors[0].field", equalTo("reason"))
                        .body("errors[0].code", equalTo(bad[1]));
            }
            ops().contentType("application/json").body("{\"reason\":\"fine\",\"force\":true}").post(path).then()
                    .statusCode(422).body("errors.field", contains("force"))
                    .body("errors.code", contains("UNKNOWN_FIELD"));
            for (String unknown : List.of(UUID.randomUUID().toString(), "not-a-uuid")) {
                ops().contentType("application/json").body(valid).post("/v1/ops/dead-letters/" + unknown + "/replay")
                        .then().statusCode(404).contentType("application/problem+json")
                        .body("code", equalTo("DEAD_LETTER_NOT_FOUND"));
                ops().get("/v1/ops/dead-letters/" + unknown).then().statusCode(404)
                        .body("code", equalTo("DEAD_LETTER_NOT_FOUND"));
            }
            given().get("/v1/ops/dead-letters").then().statusCode(401);
            as(Tokens.forClient("client-a")).get("/v1/ops/dead-letters").then().statusCode(403);
            given().get("/v1/ops/audit").then().statusCode(401);
            as(Tokens.forClient("client-a")).get("/v1/ops/audit").then().statusCode(403);

            assertThat(DeadLetterRows.matching(database(), k -> id.equals(k.id())).getFirst().replayCount()).isZero();
            assertThat(Rows.table("ops_audit")).isEqualTo(audited);
            // a valid replay now, as a barrier: once it arrives, anything the refused ones had published would have
            replay(id, "the valid one").then().statusCode(200);
            await().atMost(WAIT).until(() -> !replays.received().isEmpty());
            assertThat(replays.received()).hasSize(1);
        }
        assertThat(Rows.table("ops_audit")).isEqualTo(audited + 1);
    }

    // --- helpers ---

    /** A request as the ops user (JWT sub {@value #OPS}, group {@code ops}). */
    protected static io.restassured.specification.RequestSpecification ops() {
        return as(Tokens.forClient(OPS, "ops"));
    }

    protected static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    protected static Response replay(UUID id, String reason) {
        return ops().contentType("application/json").body("{\"reason\":\"" + reason + "\"}")
                .post("/v1/ops/dead-letters/" + id + "/replay");
    }

    /** A dead letter as the consumer of {@code queue} publishes it, delivered to this service's dead-letter queue. */
    protected void deadLetter(String queue, UUID id, String messageId, Instant at) {
        DeadLetterRows.publish(vhost(), queue(), queue, id, messageId, at);
    }

    private static String envelope(String messageId) {
        return DeadLetterRows.envelope(messageId);
    }

    /** A queue name no consumer has: dead letters "of" it are this test's alone, and replays of them go nowhere. */
    private static String fakeQueue() {
        return "test." + UUID.randomUUID();
    }

    /** The sum of a metric's samples whose labels contain {@code labels}; 0 when there is none yet. */
    protected static double metric(String name, String labels) {
        return Metrics.sum(name, labels);
    }

    protected static String database() {
        return ServiceTestResource.database();
    }

    protected static String vhost() {
        return ServiceTestResource.vhost();
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
