package io.payout.bankadapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.payout.bankadapter.Adapter.Transfer;
import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.DeadLetterRows.Kept;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.payout.bankadapter.Adapter.accepted;
import static io.payout.bankadapter.Adapter.awaitEvent;
import static io.payout.bankadapter.Adapter.dispatchRow;
import static io.payout.bankadapter.Adapter.events;
import static io.payout.bankadapter.Adapter.onTransfer;
import static io.payout.bankadapter.Adapter.publish;
import static io.payout.bankadapter.Adapter.transfer;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code webhook.bank-result}: from the bank's ref to our transfer, as {@code bank.result} source WEBHOOK. */
@QuarkusTest
@WithTestResource(BankStub.class)
class WebhookResultTest {

    @Test
    void aSucceededWebhookBecomesAResultFromTheWebhook() {
        Transfer t = dispatchedAccepted();
        publish("webhook.bank-result", webhook(t.ref(), "SUCCEEDED", t.amount(), null));

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("transfer_id").asText()).isEqualTo(t.id().toString());
        assertThat(e.get("external_ref").asText()).isEqualTo(t.ref());
        assertThat(e.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("source").asText()).isEqualTo("WEBHOOK");
        assertThat(dispatchRow(t.id())).containsEntry("status", "SUCCEEDED").containsEntry("outcome", "SUCCEEDED");
    }

    @Test
    void aFailedWebhookIsPassedOnButDoesNotMakeTheDispatchFinal() {
        Transfer t = dispatchedAccepted();
        publish("webhook.bank-result", webhook(t.ref(), "FAILED", t.amount(), "INVALID_ACCOUNT"));

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(e.get("source").asText()).isEqualTo("WEBHOOK");
        assertThat(e.get("reason").asText()).isEqualTo("INVALID_ACCOUNT");
        // a notification is not proof: the saga confirms by inquiry, so the row stays open
        assertThat(dispatchRow(t.id())).containsEntry("status", "ACCEPTED").containsEntry("outcome", "FAILED");
    }

    @Test
    void aWebhookForAnotherAmountIsACollision() {
        Transfer t = dispatchedAccepted();
        publish("webhook.bank-result", webhook(t.ref(), "SUCCEEDED", t.amount() + 1, null));

        JsonNode e = awaitEvent(t.id(), "bank.collision");
        assertThat(e.get("detail").asText()).contains("amount " + (t.amount() + 1));
        assertThat(events(t.id(), "bank.result")).isEmpty();
    }

    @Test
    void aWebhookForAnUnknownRefIsDeadLetteredForOps() {
        String ref = "T991234560UNKNOWN" + UUID.randomUUID().toString().substring(0, 3).toUpperCase();
        String messageId = publish("webhook.bank-result", webhook(ref, "SUCCEEDED", 100, null));

        // what the dead-letter queue delivered, as the service keeps it for ops
        Kept m = DeadLetterRows.awaitMessage(messageId);
        assertThat(m.body()).contains(ref);
        assertThat(m.reason()).contains("unknown bank_tran_id " + ref);
        assertThat(m.queue()).isEqualTo("bank-adapter.commands");
        assertThat(m.routingKey()).isEqualTo("webhook.bank-result");
    }

    private static String webhook(String ref, String status, long amount, String reason) {
        return "{\"event_id\":\"evt_" + UUID.randomUUID() + "\",\"bank_tran_id\":\"" + ref + "\",\"status\":\"" + status
                + "\",\"amount\":" + amount + ",\"currency\":\"KRW\",\"reason\":"
                + (reason == null ? "null" : "\"" + reason + "\"") + "}";
    }

    private static Transfer dispatchedAccepted() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        t.dispatch();
        awaitEvent(t.id(), "bank.dispatched");
        return t;
    }
}
