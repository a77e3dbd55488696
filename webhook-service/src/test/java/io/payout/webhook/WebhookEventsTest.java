package io.payout.webhook;

import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.payout.webhook.config.WebhookConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.payout.webhook.BankWebhooks.newBankTranId;
import static io.payout.webhook.BankWebhooks.newId;
import static io.payout.webhook.BankWebhooks.result;
import static io.payout.webhook.BankWebhooks.signedHeaders;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/webhook-events}: the stored bank webhooks of a transfer, newest first, for ops only. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookEventsTest {
    private static final String OPS = "Bearer " + Tokens.forClient("ops-1", "ops");

    @Inject
    WebhookConfig config;

    @Test
    void aRefsEventsAreListedNewestFirstWithTheBanksClaimAndTheMessageTheyWereForwardedAs() {
        String ref = newBankTranId();
        String succeeded = newId();
        String failed = newId();
        receive(succeeded, result(ref, "SUCCEEDED"));
        receive(succeeded, result(ref, "SUCCEEDED")); // a duplicate: never stored, never listed
        receive(failed, result(ref, "FAILED"));
        receive(newId(), result(newBankTranId(), "SUCCEEDED")); // another transfer's

        JsonPath page = events("external_ref=" + ref).statusCode(200).extract().jsonPath();
        assertThat(page.getList("items.event_id", String.class)).containsExactly(failed, succeeded);
        assertThat(page.getBoolean("has_more")).isFalse();
        Map<String, Object> newest = page.getMap("items[0]");
        assertThat(newest).containsEntry("external_ref", ref).containsEntry("event_type", "transfer.result")
                .containsEntry("status", "FAILED").containsEntry("reason", "INSUFFICIENT_FUNDS")
                .containsEntry("amount_minor", 15000).containsEntry("currency", "KRW")
                .containsEntry("forwarded", true)
                .containsEntry("message_id", outboxId(failed));
        assertThat(page.getMap("items[1]")).containsEntry("status", "SUCCEEDED").containsEntry("reason", null)
                .containsEntry("message_id", outboxId(succeeded));
        Instant newestAt = Instant.parse(page.getString("items[0].received_at"));
        assertThat(newestAt).isAfter(Instant.parse(page.getString("items[1].received_at")));
        assertThat(newestAt).isEqualTo(((java.sql.Timestamp) Rows.query(ServiceTestResource.database(),
                "select received_at from webhook_events where event_id = ?", failed).get(0).get("received_at"))
                .toInstant());

        // once the relay has the broker's confirm, the item says when
        await().atMost(Duration.ofSeconds(30)).until(() -> events("external_ref=" + ref).statusCode(200).extract()
                .jsonPath().getList("items.published_at").stream().allMatch(at -> at != null));
    }

    @Test
    void byEventIdAnEventThatWasNotForwardedIsFoundTooAndBothFiltersNarrowTogether() {
        String ref = newBankTranId();
        String forwarded = newId();
        String otherType = newId();
        receive(forwarded, result(ref, "SUCCEEDED"));
        receive(otherType, "{\"type\":\"account.updated\",\"data\":{\"account\":\"x\"}}");

        events("event_id=" + otherType).statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].event_id", equalTo(otherType))
                .body("items[0].event_type", equalTo("account.updated"))
                .body("items[0].forwarded", equalTo(false))
                .body("items[0].message_id", equalTo(null))
                .body("items[0].external_ref", equalTo(null))
                .body("items[0].status", equalTo(null));
        events("event_id=" + forwarded).statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].external_ref", equalTo(ref))
                .body("items[0].forwarded", equalTo(true));
        events("event_id=" + forwarded + "&external_ref=" + ref).statusCode(200).body("items.size()", equalTo(1));
        events("event_id=" + forwarded + "&external_ref=" + newBankTranId()).statusCode(200)
                .body("items.size()", equalTo(0));
        events("event_id=" + newId()).statusCode(200).body("items.size()", equalTo(0)).body("has_more", equalTo(false));
    }

    @Test
    void pagesAreBoundedAndWalkEveryEventOnceNewestFirst() {
        String ref = newBankTranId();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = newId();
            ids.add(0, id);
            receive(id, result(ref, i % 2 == 0 ? "SUCCEEDED" : "FAILED"));
        }
        List<String> walked = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonPath p = events("external_ref=" + ref + "&size=2&page=" + page).statusCode(200).extract().jsonPath();
            assertThat(p.getInt("page")).isEqualTo(page);
            assertThat(p.getInt("size")).isEqualTo(2);
            assertThat(p.getBoolean("has_more")).isEqualTo(page < 2);
            walked.addAll(p.getList("items.event_id", String.class));
        }
        assertThat(walked).isEqualTo(ids);
        events("external_ref=" + ref + "&size=" + config.eventsPageSizeMax()).statusCode(200)
                .body("items.size()", equalTo(5));
    }

    @Test
    void withoutAFilterOrWithABadPageItIs400ListingEveryField() {
        events("").statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("VALIDATION_FAILED"))
                .body("errors.field", containsInAnyOrder("external_ref"));
        events("external_ref=&event_id=").statusCode(400).body("errors.field", containsInAnyOrder("external_ref"));
        events("page=-1&size=" + (config.eventsPageSizeMax() + 1)).statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("external_ref", "page", "size"));
        events("external_ref=" + newBankTranId() + "&size=0").statusCode(400).body("errors.field", containsInAnyOrder("size"));
    }

    @Test
    void onlyOpsMayReadThem() {
        String query = "/v1/webhook-events?external_ref=" + newBankTranId();
        given().when().get(query).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + Tokens.forClient("client-a")).when().get(query)
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", OPS).when().get(query).then().statusCode(200).body("items.size()", equalTo(0));
    }

    private void receive(String id, String body) {
        BankWebhooks.post(signedHeaders(config.secrets().get(0), id, body), body).then().statusCode(200);
    }

    private static ValidatableResponse events(String query) {
        return given().header("Authorization", OPS).when().get("/v1/webhook-events" + (query.isEmpty() ? "" : "?" + query)).then();
    }

    private static String outboxId(String eventId) {
        return Rows.query(ServiceTestResource.database(), "select id::text as id from outbox where type = ?"
                + " and payload->>'event_id' = ?", BankWebhooks.TYPE, eventId).get(0).get("id").toString();
    }
}
