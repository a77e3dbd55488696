package io.payout.bankadapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.payout.bankadapter.Adapter.Transfer;
import io.payout.testsupport.DeadLetterRows;
import io.payout.testsupport.DeadLetterRows.Kept;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.payout.bankadapter.Adapter.WAIT;
import static io.payout.bankadapter.Adapter.accepted;
import static io.payout.bankadapter.Adapter.awaitConsumed;
import static io.payout.bankadapter.Adapter.awaitEvent;
import static io.payout.bankadapter.Adapter.dispatchRow;
import static io.payout.bankadapter.Adapter.events;
import static io.payout.bankadapter.Adapter.inquiryAnswer;
import static io.payout.bankadapter.Adapter.inquiryCalls;
import static io.payout.bankadapter.Adapter.onInquiry;
import static io.payout.bankadapter.Adapter.onInquiryInTurn;
import static io.payout.bankadapter.Adapter.onTransfer;
import static io.payout.bankadapter.Adapter.publish;
import static io.payout.bankadapter.Adapter.transfer;
import static io.payout.bankadapter.Adapter.transferCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bank.inquiry}: the bank's answer by ref, mapped to results — NOT_FOUND handled with care, and no answer
 * (garbage included) is "not yet", retried, never FAILED.
 */
@QuarkusTest
@WithTestResource(BankStub.class)
class InquiryTest {

    @Test
    void succeededAndFailedBecomeResultsFromTheInquiry() {
        Transfer paid = dispatchedAccepted();
        Transfer refused = dispatchedAccepted();
        onInquiry(paid.ref(), okJson(inquiryAnswer(paid.ref(), "SUCCEEDED", paid.amount(), null)));
        onInquiry(refused.ref(), okJson(inquiryAnswer(refused.ref(), "FAILED", refused.amount(), "ACCOUNT_CLOSED")));
        // external_ref may be null: the adapter knows it from its dispatch row
        publish("bank.inquiry", "{\"transfer_id\":\"" + paid.id() + "\",\"external_ref\":null}");
        publish("bank.inquiry", "{\"transfer_id\":\"" + refused.id() + "\",\"external_ref\":\"" + refused.ref() + "\"}");

        JsonNode ok = awaitEvent(paid.id(), "bank.result");
        assertThat(ok.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(ok.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(ok.get("external_ref").asText()).isEqualTo(paid.ref());
        JsonNode ko = awaitEvent(refused.id(), "bank.result");
        assertThat(ko.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(ko.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(ko.get("reason").asText()).isEqualTo("ACCOUNT_CLOSED");
        assertThat(dispatchRow(paid.id())).containsEntry("status", "SUCCEEDED");
        assertThat(dispatchRow(refused.id())).containsEntry("status", "FAILED").containsEntry("reason", "ACCOUNT_CLOSED");
    }

    @Test
    void processingReportsNothingYetButIsRecorded() {
        Transfer t = dispatchedAccepted();
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "PROCESSING", t.amount(), null)));
        awaitConsumed(publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}"));

        assertThat(events(t.id(), "bank.result")).isEmpty();
        assertThat(dispatchRow(t.id())).containsEntry("outcome", "PROCESSING").containsEntry("status", "ACCEPTED");
    }

    @Test
    void notFoundResendsTheSameRefUntilCallsMaxThenFailsAndNeverReachesTheBankAgain() {
        Transfer t = transfer();
        onTransfer(t.ref(), aResponse().withStatus(502));
        t.dispatch();
        awaitEvent(t.id(), "bank.dispatched");
        onInquiry(t.ref(), notFound().withHeader("Content-Type", "application/json").withBody("{\"status\":\"NOT_FOUND\"}"));

        // right after our call: the request may still be in flight, so NOT_FOUND proves nothing yet
        awaitConsumed(publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}"));
        assertThat(events(t.id(), "bank.result")).isEmpty();
        assertThat(dispatchRow(t.id())).containsEntry("outcome", "NOT_FOUND").containsEntry("status", "UNKNOWN");

        // after the grace the bank still has no trace: the same ref is sent again (test profile: calls-max = 2)
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        await().pollDelay(Duration.ofMillis(BankStub.GRACE_MS)).atMost(WAIT).until(() -> true);
        awaitConsumed(publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}"));
        await().atMost(WAIT).until(() -> transferCalls(t.ref()) == Adapter.ATTEMPTS + 1);
        await().atMost(WAIT).until(() -> "ACCEPTED".equals(dispatchRow(t.id()).get("status")));
        assertThat(events(t.id(), "bank.result")).isEmpty();

        // the bank loses it again: with calls-max reached, NOT_FOUND after the grace fails the transfer
        await().pollDelay(Duration.ofMillis(BankStub.GRACE_MS)).atMost(WAIT).until(() -> true);
        publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}");
        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(e.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(e.get("reason").asText()).isEqualTo("NOT_FOUND_AT_BANK");
        assertThat(dispatchRow(t.id())).containsEntry("status", "FAILED").containsEntry("reason", "NOT_FOUND_AT_BANK");

        // the hold is being released: a late re-dispatch must not make the money leave after all
        awaitConsumed(t.dispatch());
        assertThat(transferCalls(t.ref())).as("no call after FAILED").isEqualTo(Adapter.ATTEMPTS + 1);
    }

    @Test
    void aBare404IsNotABankNotFound() {
        Transfer t = dispatchedAccepted();
        onInquiry(t.ref(), notFound().withBody("no such route"));
        String inquiry = publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}");
        assertThat(DeadLetterRows.awaitMessage(inquiry).body()).contains(t.id().toString());
        assertThat(events(t.id(), "bank.result")).isEmpty();
        assertThat(dispatchRow(t.id())).containsEntry("status", "ACCEPTED");
    }

    @Test
    void noAnswerIsRetriedThenDeadLetteredWithTheReason() {
        Transfer t = dispatchedAccepted();
        onInquiry(t.ref(), aResponse().withStatus(503));
        String inquiry = publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}");
        // what the dead-letter queue delivered, as the service keeps it for ops
        Kept m = DeadLetterRows.awaitMessage(inquiry);
        assertThat(m.body()).contains(t.id().toString());
        assertThat(m.reason()).contains("HTTP_5XX");
        assertThat(m.attempts()).isEqualTo(5);
        assertThat(m.routingKey()).isEqualTo("bank.inquiry");
        assertThat(m.queue()).isEqualTo("bank-adapter.commands");
        assertThat(inquiryCalls(t.ref())).as("5 deliveries, each retried by the bank client")
                .isEqualTo(5 * Adapter.ATTEMPTS);
        assertThat(events(t.id(), "bank.result")).isEmpty();
    }

    @Test
    void garbageFromTheInquiryIsNoAnswerYetRetriedNeverAFailure() {
        Transfer t = dispatchedAccepted();
        // three kinds of garbage use up one delivery's attempts; the redelivery gets the bank's real answer
        onInquiryInTurn(t.ref(),
                aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>busy</html>"),
                okJson("{\"bank_tran_id\":\"" + t.ref() + "\",\"status\":"),
                okJson(inquiryAnswer(t.ref(), "MAYBE", t.amount(), null)),
                okJson(inquiryAnswer(t.ref(), "SUCCEEDED", t.amount(), null)));
        publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}");

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(events(t.id(), "bank.result")).hasSize(1);
        assertThat(inquiryCalls(t.ref())).isEqualTo(Adapter.ATTEMPTS + 1);
    }

    @Test
    void garbageForeverIsNeverAFailureAndEndsInTheDeadLetterQueue() {
        Transfer t = dispatchedAccepted();
        // a "FAILED" about another ref is no answer about ours: it must not fail this transfer
        onInquiry(t.ref(), okJson(inquiryAnswer("T991234560UZZZZZZZZZ", "FAILED", t.amount(), "ACCOUNT_CLOSED")));
        String inquiry = publish("bank.inquiry", "{\"transfer_id\":\"" + t.id() + "\"}");
        Kept m = DeadLetterRows.awaitMessage(inquiry);
        assertThat(m.body()).contains(t.id().toString());
        assertThat(m.reason()).contains("UNREADABLE");
        assertThat(events(t.id(), "bank.result")).isEmpty();
        assertThat(dispatchRow(t.id())).containsEntry("status", "ACCEPTED");
        assertThat(inquiryCalls(t.ref())).isEqualTo(5 * Adapter.ATTEMPTS);
    }

    private static Transfer dispatchedAccepted() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        t.dispatch();
        awaitEvent(t.id(), "bank.dispatched");
        return t;
    }
}
