package io.payout.ledger;

import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.client;
import static io.payout.ledger.Ledger.get;
import static io.payout.ledger.Ledger.hold;
import static io.payout.ledger.Ledger.holdPayload;
import static io.payout.ledger.Ledger.ops;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.releasePayload;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code GET /v1/transfers/{id}/postings}: a transfer's postings and entries, in time order, for ops. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferPostingsTest {

    @Test
    void aSettledTransferShowsItsHoldThenItsSettleWithSignedEntries() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = hold(CLIENT_A, account, 300);
        awaitConsumed(publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "T991234560UPOSTINGS")));

        JsonPath view = get(ops(), "/v1/transfers/" + transfer + "/postings").then().statusCode(200)
                .extract().jsonPath();
        assertThat(view.getString("transfer_id")).isEqualTo(transfer.toString());
        assertThat(view.getList("postings.kind", String.class)).containsExactly("HOLD", "SETTLE");
        assertThat(view.getList("postings.id", String.class)).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(view.getString("postings[0].external_ref")).isNull();
        assertThat(view.getString("postings[1].external_ref")).isEqualTo("T991234560UPOSTINGS");
        assertThat(Instant.parse(view.getString("postings[1].created_at")))
                .isAfterOrEqualTo(Instant.parse(view.getString("postings[0].created_at")));
        assertThat(entries(view, 0)).containsExactlyInAnyOrder(
                Map.of("account_id", account, "amount", "-300", "currency", "KRW"),
                Map.of("account_id", "holds:KRW", "amount", "300", "currency", "KRW"));
        assertThat(entries(view, 1)).containsExactlyInAnyOrder(
                Map.of("account_id", "holds:KRW", "amount", "-300", "currency", "KRW"),
                Map.of("account_id", "bank-clearing:KRW", "amount", "300", "currency", "KRW"));
    }

    @Test
    void amountsAreInTheCurrencysScale() {
        String account = account(CLIENT_A, "USD", 10_000);
        UUID transfer = UUID.randomUUID();
        awaitConsumed(publish("ledger.hold", transfer, holdPayload(transfer, CLIENT_A, account, 1250, "USD")));
        awaitConsumed(publish("ledger.release", transfer, releasePayload(transfer, 1250, "USD")));

        JsonPath view = get(ops(), "/v1/transfers/" + transfer + "/postings").then().statusCode(200)
                .extract().jsonPath();
        assertThat(view.getList("postings.kind", String.class)).containsExactly("HOLD", "RELEASE");
        assertThat(entries(view, 1)).containsExactlyInAnyOrder(
                Map.of("account_id", "holds:USD", "amount", "-12.50", "currency", "USD"),
                Map.of("account_id", account, "amount", "12.50", "currency", "USD"));
    }

    @Test
    void aTransferWithoutPostingsIsAnEmptyListAndAMalformedIdIs400() {
        UUID unknown = UUID.randomUUID();
        get(ops(), "/v1/transfers/" + unknown + "/postings").then().statusCode(200)
                .body("transfer_id", equalTo(unknown.toString()))
                .body("postings.size()", equalTo(0));
        get(ops(), "/v1/transfers/not-a-uuid/postings").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("transfer_id"));
    }

    @Test
    void onlyOpsMayReadIt() {
        String path = "/v1/transfers/" + UUID.randomUUID() + "/postings";
        get(null, path).then().statusCode(401).contentType("application/problem+json");
        get(client(CLIENT_A), path).then().statusCode(403).contentType("application/problem+json");
    }

    private static List<Map<String, Object>> entries(JsonPath view, int posting) {
        return view.getList("postings[" + posting + "].entries");
    }
}
