package io.payout.bankadapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import io.payout.bankadapter.Adapter.Transfer;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.badRequest;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.payout.bankadapter.Adapter.WAIT;
import static io.payout.bankadapter.Adapter.accepted;
import static io.payout.bankadapter.Adapter.awaitConsumed;
import static io.payout.bankadapter.Adapter.awaitEvent;
import static io.payout.bankadapter.Adapter.dispatchRow;
import static io.payout.bankadapter.Adapter.eventCount;
import static io.payout.bankadapter.Adapter.events;
import static io.payout.bankadapter.Adapter.inquiryAnswer;
import static io.payout.bankadapter.Adapter.inquiryCalls;
import static io.payout.bankadapter.Adapter.metric;
import static io.payout.bankadapter.Adapter.onInquiry;
import static io.payout.bankadapter.Adapter.onTransfer;
import static io.payout.bankadapter.Adapter.onTransferInTurn;
import static io.payout.bankadapter.Adapter.publish;
import static io.payout.bankadapter.Adapter.transfer;
import static io.payout.bankadapter.Adapter.transferBodies;
import static io.payout.bankadapter.Adapter.transferCalls;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * {@code bank.dispatch} against a stubbed bank: every answer classified, the row first, one ref per intent; no answer
 * retried with the same ref, an answer (even garbage) never.
 */
@QuarkusTest
@WithTestResource(BankStub.class)
class DispatchTest {

    @Test
    void acceptedIsReportedAsDispatchedAcceptedWithTheNormalizedRequest() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.dispatched");
        assertThat(e.get("transfer_id").asText()).isEqualTo(t.id().toString());
        assertThat(e.get("external_ref").asText()).isEqualTo(t.ref()).hasSize(20);
        assertThat(e.get("outcome").asText()).isEqualTo("ACCEPTED");
        BankStub.bank().verify(1, postRequestedFor(urlEqualTo("/v2/transfers")).withRequestBody(equalToJson(
                "{\"bank_tran_id\":\"" + t.ref() + "\",\"source_account\":\"acc-123\",\"bank_code\":\"004\","
                        + "\"account_number\":\"12345678901234\",\"amount\":15000,\"currency\":\"KRW\"}")));
        Map<String, Object> row = dispatchRow(t.id());
        assertThat(row).containsEntry("external_ref", t.ref()).containsEntry("status", "ACCEPTED")
                .containsEntry("outcome", "ACCEPTED").containsEntry("calls", 1);
        assertThat((String) row.get("last_answer")).contains("PROCESSING");
        assertThat(BankStub.rowsWhenTheBankWasCalled(t.ref())).as("row committed before the call").isEqualTo(1);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("payout_bank_calls_total{operation=\"transfer\",outcome=\"ACCEPTED\"}"))
                .body(containsString("payout_bank_call_latency_seconds_count{operation=\"transfer\"}"));
    }

    @Test
    void theEventsReachTheBrokerAsEnvelopes() throws Exception {
        try (BrokerProbe probe = BrokerProbe.bind(ServiceTestResource.vhost(), "bank.#")) {
            Transfer t = transfer();
            onTransfer(t.ref(), okJson(accepted(t.ref())));
            t.dispatch();

            await().atMost(WAIT).until(() -> probe.received().stream().anyMatch(m -> m.body().contains(t.ref())));
            BrokerProbe.Received m = probe.received().stream().filter(r -> r.body().contains(t.ref())).findFirst()
                    .orElseThrow();
            assertThat(m.type()).isEqualTo("bank.dispatched");
            assertThat(m.messageId()).isNotBlank();
            assertThat(m.deliveryMode()).isEqualTo(2);
            assertThat(m.body()).contains("\"aggregate_id\":\"" + t.id() + "\"").contains("\"outcome\":\"ACCEPTED\"");
        }
    }

    @Test
    void aRejectionIsAFailedResultAndTheTransferNeverReachesTheBankAgain() {
        Transfer t = transfer("99990000", 5000);
        onTransfer(t.ref(), okJson("{\"code\":\"REJECTED\",\"bank_tran_id\":\"" + t.ref()
                + "\",\"reason\":\"INVALID_ACCOUNT\"}"));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(e.get("source").asText()).isEqualTo("RESPONSE");
        assertThat(e.get("reason").asText()).isEqualTo("INVALID_ACCOUNT");
        assertThat(dispatchRow(t.id())).containsEntry("status", "FAILED").containsEntry("reason", "INVALID_ACCOUNT");
        assertThat(transferCalls(t.ref())).as("a definitive answer is never retried").isEqualTo(1);

        // the hold is being released: a re-dispatch of this transfer must not reach the bank
        awaitConsumed(t.dispatch());
        assertThat(transferCalls(t.ref())).isEqualTo(1);
        assertThat(eventCount(t.id())).isEqualTo(1);
    }

    @Test
    void invalidRequestIsAFailedResult() {
        Transfer t = transfer();
        onTransfer(t.ref(), badRequest().withHeader("Content-Type", "application/json")
                .withBody("{\"code\":\"INVALID_REQUEST\",\"message\":\"bank_code must be 2-10 characters\"}"));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(e.get("source").asText()).isEqualTo("RESPONSE");
        assertThat(e.get("reason").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(transferCalls(t.ref())).as("a definitive answer is never retried").isEqualTo(1);
    }

    @Test
    void noAnswerIsRetriedWithTheSameRefUntilTheBankAnswers() {
        Transfer flaky = transfer();
        Transfer busy = transfer();
        onTransferInTurn(flaky.ref(), aResponse().withStatus(503),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), okJson(accepted(flaky.ref())));
        onTransferInTurn(busy.ref(), aResponse().withStatus(429), okJson(accepted(busy.ref())));
        double retries = metric("payout_bank_retries_total{operation=\"transfer\"}");
        flaky.dispatch();
        busy.dispatch();

        for (Transfer t : List.of(flaky, busy)) {
            JsonNode e = awaitEvent(t.id(), "bank.dispatched");
            assertThat(e.get("outcome").asText()).isEqualTo("ACCEPTED");
            assertThat(events(t.id(), "bank.dispatched")).as("one event for the whole call").hasSize(1);
            assertThat(events(t.id(), "bank.result")).isEmpty();
            // one dispatch, retried inside the bank call: the row counts one call, the bank saw every attempt
            assertThat(dispatchRow(t.id())).containsEntry("status", "ACCEPTED").containsEntry("calls", 1);
        }
        // every attempt is the very same request: same bank_tran_id, so the bank can dedupe them
        assertThat(transferBodies(flaky.ref())).hasSize(3).containsOnly(transferBodies(flaky.ref()).get(0));
        assertThat(transferBodies(busy.ref())).hasSize(2).containsOnly(transferBodies(busy.ref()).get(0));
        assertThat(metric("payout_bank_retries_total{operation=\"transfer\"}")).isGreaterThanOrEqualTo(retries + 3);
    }

    @Test
    void aRetryAfterAnUnansweredCallGetsDuplicateAndTheInquiryTellsTheResult() {
        Transfer t = transfer();
        // the bank executes the first request but its answer comes too late; the retry (same ref) is a duplicate
        onTransferInTurn(t.ref(), okJson(accepted(t.ref())).withFixedDelay(BankStub.TIMEOUT_MS * 2),
                okJson(Adapter.duplicate(t.ref(), t.amount(), "SUCCEEDED")));
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "SUCCEEDED", t.amount(), null)));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(transferBodies(t.ref())).hasSize(2).containsOnly(transferBodies(t.ref()).get(0));
        assertThat(inquiryCalls(t.ref())).isEqualTo(1);
        assertThat(events(t.id(), "bank.dispatched")).as("not unknown: the retry found out").isEmpty();
        assertThat(dispatchRow(t.id())).containsEntry("status", "SUCCEEDED");
    }

    @Test
    void garbageIsAnUnknownOutcomeNeverAFailureAndIsNotRetried() {
        Transfer malformed = transfer();
        Transfer empty = transfer();
        Transfer unknownCode = transfer();
        Transfer html = transfer();
        Transfer otherRef = transfer();
        onTransfer(malformed.ref(), okJson("{\"code\":\"ACCEPTED\",\"bank_tran_id\":"));
        onTransfer(empty.ref(), aResponse().withStatus(200));
        onTransfer(unknownCode.ref(), okJson("{\"code\":\"MAYBE_LATER\",\"bank_tran_id\":\"" + unknownCode.ref() + "\"}"));
        onTransfer(html.ref(), aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Service temporarily unavailable</body></html>"));
        // an "ACCEPTED" about another ref (a proxy or a cache mixing answers up) is no answer to ours
        onTransfer(otherRef.ref(), okJson(accepted("T991234560UZZZZZZZZZ")));
        List<Transfer> all = List.of(malformed, empty, unknownCode, html, otherRef);
        all.forEach(Transfer::dispatch);

        for (Transfer t : all) {
            JsonNode e = awaitEvent(t.id(), "bank.dispatched");
            assertThat(e.get("outcome").asText()).as(t.ref()).isEqualTo("UNKNOWN");
            assertThat(events(t.id(), "bank.result")).as("never FAILED on an unknown").isEmpty();
            Map<String, Object> row = dispatchRow(t.id());
            assertThat(row).containsEntry("status", "UNKNOWN").containsEntry("outcome", "UNKNOWN");
            assertThat((String) row.get("last_answer")).contains("UNREADABLE");
            // the bank did answer: the same request would most likely get the same answer; the inquiry resolves it
            assertThat(transferCalls(t.ref())).as("garbage is not retried").isEqualTo(1);
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("payout_bank_calls_total{operation=\"transfer\",outcome=\"UNREADABLE\"}"));
    }

    @Test
    void everyAnswerThatIsNoAnswerIsAnUnknownOutcomeNeverAFailure() {
        Transfer error500 = transfer();
        Transfer html503 = transfer();
        Transfer tooMany = transfer();
        Transfer reset = transfer();
        Transfer garbage = transfer();
        Transfer bare404 = transfer();
        onTransfer(error500.ref(), aResponse().withStatus(500));
        onTransfer(html503.ref(), aResponse().withStatus(503).withBody("<html>maintenance</html>"));
        onTransfer(tooMany.ref(), aResponse().withStatus(429).withHeader("Retry-After", "1"));
        onTransfer(reset.ref(), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        onTransfer(garbage.ref(), okJson("{\"hello\":\"world\"}"));
        onTransfer(bare404.ref(), aResponse().withStatus(404));
        List<Transfer> all = List.of(error500, html503, tooMany, reset, garbage, bare404);
        all.forEach(Transfer::dispatch);

        for (Transfer t : all) {
            JsonNode e = awaitEvent(t.id(), "bank.dispatched");
            assertThat(e.get("outcome").asText()).as(t.ref()).isEqualTo("UNKNOWN");
            assertThat(e.get("external_ref").asText()).isEqualTo(t.ref());
            assertThat(events(t.id(), "bank.result")).as("never FAILED on an unknown").isEmpty();
            assertThat(dispatchRow(t.id())).containsEntry("status", "UNKNOWN").containsEntry("outcome", "UNKNOWN");
        }
        assertThat((String) dispatchRow(error500.id()).get("last_answer")).contains("HTTP_5XX");
        assertThat((String) dispatchRow(tooMany.id()).get("last_answer")).contains("HTTP_429");
        assertThat((String) dispatchRow(reset.id()).get("last_answer")).contains("CONNECTION");
        // no answer at all: retried (same ref) until the retries are exhausted; an answer, even garbage: not retried
        for (Transfer t : List.of(error500, html503, tooMany, reset)) {
            assertThat(transferCalls(t.ref())).as(t.ref()).isEqualTo(Adapter.ATTEMPTS);
        }
        assertThat(transferCalls(garbage.ref())).isEqualTo(1);
        assertThat(transferCalls(bare404.ref())).isEqualTo(1);
    }

    @Test
    void theRowIsCommittedBeforeTheCallAndStaysWhenTheBankTimesOut() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())).withFixedDelay(BankStub.TIMEOUT_MS * 3));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.dispatched");
        assertThat(e.get("outcome").asText()).isEqualTo("UNKNOWN");
        assertThat(BankStub.rowsWhenTheBankWasCalled(t.ref())).as("row committed before the call").isEqualTo(1);
        Map<String, Object> row = dispatchRow(t.id());
        assertThat(row).containsEntry("external_ref", t.ref()).containsEntry("status", "UNKNOWN")
                .containsEntry("calls", 1);
        assertThat((String) row.get("last_answer")).contains("TIMEOUT");
        assertThat(transferCalls(t.ref())).as("every attempt timed out").isEqualTo(Adapter.ATTEMPTS);
        assertThat((String) row.get("request")).contains(t.ref());
    }

    @Test
    void aDuplicateIsResolvedByInquiry() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson("{\"code\":\"DUPLICATE\",\"bank_tran_id\":\"" + t.ref() + "\",\"original\":{"
                + "\"source_account\":\"acc-123\",\"bank_code\":\"004\",\"account_number\":\"12345678901234\","
                + "\"amount\":15000,\"currency\":\"KRW\",\"status\":\"SUCCEEDED\"}}"));
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "SUCCEEDED", 15000, null)));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.result");
        assertThat(e.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(e.get("source").asText()).isEqualTo("INQUIRY");
        assertThat(e.get("external_ref").asText()).isEqualTo(t.ref());
        assertThat(inquiryCalls(t.ref())).isEqualTo(1);
        assertThat(dispatchRow(t.id())).containsEntry("status", "SUCCEEDED");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("payout_duplicates_blocked_total{layer=\"bank\",outcome=\"duplicate_ref\"}"));
    }

    @Test
    void aDuplicateWhoseOriginalIsNotOurIntentIsACollisionNeverASuccess() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson("{\"code\":\"DUPLICATE\",\"bank_tran_id\":\"" + t.ref() + "\",\"original\":{"
                + "\"source_account\":\"acc-999\",\"bank_code\":\"004\",\"account_number\":\"55555555555\","
                + "\"amount\":99,\"currency\":\"KRW\",\"status\":\"SUCCEEDED\"}}"));
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "SUCCEEDED", 99, null)));
        t.dispatch();

        JsonNode e = awaitEvent(t.id(), "bank.collision");
        assertThat(e.get("external_ref").asText()).isEqualTo(t.ref());
        assertThat(e.get("detail").asText()).contains("amount 99").contains("account_number").contains("source_account");
        assertThat(events(t.id(), "bank.result")).isEmpty();
        assertThat(events(t.id(), "bank.dispatched")).isEmpty();
        assertThat(inquiryCalls(t.ref())).isZero();
        Map<String, Object> row = dispatchRow(t.id());
        assertThat(row).containsEntry("status", "COLLISION");
        assertThat((String) row.get("collision_detail")).contains("amount 99");
    }

    @Test
    void aRedeliveredDispatchDoesNotCallTheBankAndAReDispatchUsesTheSameRef() {
        Transfer t = transfer();
        onTransfer(t.ref(), okJson(accepted(t.ref())));
        String messageId = t.dispatch();
        awaitEvent(t.id(), "bank.dispatched");

        // the same message again (processed, then redelivered): the inbox has it, the bank is not called
        Adapter.publish(messageId, "bank.dispatch", t.dispatchPayload());
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> transferCalls(t.ref()) == 1);
        assertThat(events(t.id(), "bank.dispatched")).hasSize(1);

        // the same transfer in a new message: same ref, so the bank can dedupe it
        onTransfer(t.ref(), okJson("{\"code\":\"DUPLICATE\",\"bank_tran_id\":\"" + t.ref() + "\",\"original\":{"
                + "\"source_account\":\"acc-123\",\"bank_code\":\"004\",\"account_number\":\"12345678901234\","
                + "\"amount\":15000,\"currency\":\"KRW\",\"status\":\"PROCESSING\"}}"));
        onInquiry(t.ref(), okJson(inquiryAnswer(t.ref(), "PROCESSING", 15000, null)));
        t.dispatch();
        await().atMost(WAIT).until(() -> events(t.id(), "bank.dispatched").size() == 2);
        assertThat(transferCalls(t.ref())).isEqualTo(2);
        BankStub.bank().verify(2, postRequestedFor(urlEqualTo("/v2/transfers"))
                .withRequestBody(matchingJsonPath("$.bank_tran_id", equalTo(t.ref()))));
        assertThat(events(t.id(), "bank.dispatched")).extracting(e -> e.get("external_ref").asText())
                .containsOnly(t.ref());
        assertThat(events(t.id(), "bank.dispatched")).extracting(e -> e.get("outcome").asText())
                .containsOnly("ACCEPTED");
        assertThat(dispatchRow(t.id())).containsEntry("calls", 2).containsEntry("status", "ACCEPTED");
    }

    @Test
    void aRefAlreadyHeldByAnotherTransferIsACollisionAndTheBankIsNotCalled() {
        Transfer first = transfer();
        onTransfer(first.ref(), okJson(accepted(first.ref())));
        first.dispatch();
        awaitEvent(first.id(), "bank.dispatched");

        // another transfer id with the very same intent hashes to the same ref
        UUID other = UUID.randomUUID();
        publish("bank.dispatch", first.dispatchPayload().replace(first.id().toString(), other.toString()));
        JsonNode e = awaitEvent(other, "bank.collision");
        assertThat(e.get("external_ref").asText()).isEqualTo(first.ref());
        assertThat(e.get("detail").asText()).contains(first.id().toString());
        assertThat(transferCalls(first.ref())).isEqualTo(1);
        assertThat(dispatchRow(other)).isNull();
    }
}
