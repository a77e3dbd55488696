package io.payout.bankadapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.payout.bankadapter.ref.ExternalRefs;
import io.payout.bankadapter.ref.Intent;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * The adapter under test, driven as the other services drive it: commands published on the real broker, the bank
 * stubbed by {@link BankStub}, effects read from the outbox and the dispatch table.
 */
final class Adapter {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** HTTP attempts per guarded bank call in the shared test profile: 1 + payout.bank.retries-max (2). */
    static final int ATTEMPTS = 3;
    static final LocalDate VALUE_DATE = LocalDate.parse("2026-11-21");
    private static final ExternalRefs REFS = new ExternalRefs("T991234560");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Adapter() {
    }

    /** A transfer about to be dispatched: its id, its command payload and the ref the adapter must compute. */
    record Transfer(UUID id, String clientRequestId, String account, long amount, String ref) {
        String dispatchPayload() {
            // spelled the way a sloppy producer might: the adapter normalizes before hashing and sending
            return "{\"transfer_id\":\"" + id + "\",\"client_id\":\"client-a\",\"client_request_id\":\""
                    + clientRequestId + "\",\"source_account\":\"acc-123\",\"bank_code\":\"004\",\"account_number\":\""
                    + account + "\",\"amount_minor\":" + amount + ",\"currency\":\"krw\",\"value_date\":\""
                    + VALUE_DATE + "\"}";
        }

        String dispatch() {
            return publish("bank.dispatch", dispatchPayload());
        }
    }

    static Transfer transfer() {
        return transfer("12345678901234", 15000);
    }

    static Transfer transfer(String account, long amount) {
        String key = "key-" + UUID.randomUUID();
        String ref = REFS.of(Intent.normalized("client-a", key, "acc-123", "004", account, amount, "KRW", VALUE_DATE));
        return new Transfer(UUID.randomUUID(), key, account, amount, ref);
    }

    // --- the bank ---

    static void onTransfer(String ref, ResponseDefinitionBuilder answer) {
        BankStub.bank().stubFor(post(urlEqualTo("/v2/transfers"))
                .withRequestBody(matchingJsonPath("$.bank_tran_id", equalTo(ref))).willReturn(answer));
    }

    /**
     * The bank answers this ref's transfer requests with these answers in turn (a WireMock scenario per ref); the
     * last answer stays for every later request.
     */
    static void onTransferInTurn(String ref, ResponseDefinitionBuilder... answers) {
        inTurn("transfer-" + ref, () -> post(urlEqualTo("/v2/transfers"))
                .withRequestBody(matchingJsonPath("$.bank_tran_id", equalTo(ref))), answers);
    }

    static void onInquiryInTurn(String ref, ResponseDefinitionBuilder... answers) {
        inTurn("inquiry-" + ref, () -> get(urlEqualTo("/v2/transfers/" + ref)), answers);
    }

    /** {@code request}: a fresh builder per step (a builder carries its stub's id). */
    private static void inTurn(String scenario, Supplier<MappingBuilder> request, ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder step = request.get().inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer-" + i);
            if (i < answers.length - 1) {
                step = step.willSetStateTo("answer-" + (i + 1));
            }
            BankStub.bank().stubFor(step.willReturn(answers[i]));
        }
    }

    /** The bodies of every transfer request the bank received with this ref. */
    static List<String> transferBodies(String ref) {
        return BankStub.bank().findAll(postRequestedFor(urlEqualTo("/v2/transfers"))
                .withRequestBody(matchingJsonPath("$.bank_tran_id", equalTo(ref)))).stream()
                .map(LoggedRequest::getBodyAsString).toList();
    }

    static void onInquiry(String ref, ResponseDefinitionBuilder answer) {
        BankStub.bank().stubFor(get(urlEqualTo("/v2/transfers/" + ref)).willReturn(answer));
    }

    static int transferCalls(String ref) {
        return BankStub.bank().findAll(postRequestedFor(urlEqualTo("/v2/transfers"))
                .withRequestBody(matchingJsonPath("$.bank_tran_id", equalTo(ref)))).size();
    }

    static int inquiryCalls(String ref) {
        return BankStub.bank().findAll(getRequestedFor(urlEqualTo("/v2/transfers/" + ref))).size();
    }

    static String accepted(String ref) {
        return "{\"code\":\"ACCEPTED\",\"bank_tran_id\":\"" + ref + "\",\"status\":\"PROCESSING\"}";
    }

    static String inquiryAnswer(String ref, String status, long amount, String reason) {
        return "{\"bank_tran_id\":\"" + ref + "\",\"status\":\"" + status + "\",\"amount\":" + amount
                + ",\"currency\":\"KRW\",\"reason\":" + (reason == null ? "null" : "\"" + reason + "\"") + "}";
    }

    static String duplicate(String ref, long amount, String status) {
        return "{\"code\":\"DUPLICATE\",\"bank_tran_id\":\"" + ref + "\",\"original\":{"
                + "\"source_account\":\"acc-123\",\"bank_code\":\"004\",\"account_number\":\"12345678901234\","
                + "\"amount\":" + amount + ",\"currency\":\"KRW\",\"status\":\"" + status + "\"}}";
    }

    // --- metrics ---

    /** One sample of /q/metrics, e.g. {@code payout_bank_breaker_state} or {@code name{tag="v"}}; 0 when absent. */
    static double metric(String sample) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    // --- the broker ---

    static String publish(String type, String payload) {
        return publish(UUID.randomUUID().toString(), type, payload);
    }

    static String publish(String messageId, String type, String payload) {
        BrokerProbe.publish(ServiceTestResource.vhost(), type, messageId,
                BrokerProbe.envelope(messageId, type, "test", payload));
        return messageId;
    }

    static void awaitConsumed(String messageId) {
        await().atMost(WAIT).until(() ->
                Rows.count("select count(*) from inbox where message_id = ?::uuid", messageId) == 1);
    }

    // --- what the adapter wrote ---

    /** The payloads of the events of this type the adapter published (outbox) for the transfer. */
    static List<JsonNode> events(UUID transferId, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (Map<String, Object> row : query("select payload::text as p from outbox where aggregate_id = ? and type = ?"
                + " order by occurred_at", transferId.toString(), type)) {
            try {
                out.add(JSON.readTree((String) row.get("p")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static long eventCount(UUID transferId) {
        return Rows.count("select count(*) from outbox where aggregate_id = ?", transferId.toString());
    }

    /** Waits for the first event of this type for the transfer, and returns it. */
    static JsonNode awaitEvent(UUID transferId, String type) {
        await().atMost(WAIT).until(() -> !events(transferId, type).isEmpty());
        return events(transferId, type).get(0);
    }

    static Map<String, Object> dispatchRow(UUID transferId) {
        List<Map<String, Object>> rows = query("select external_ref, status, outcome, reason, calls, collision_detail,"
                + " last_answer::text as last_answer, request::text as request, waits, next_attempt_at"
                + " from dispatches where transfer_id = ?", transferId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    static List<Map<String, Object>> query(String sql, Object... params) {
        return Rows.query(ServiceTestResource.database(), sql, params);
    }
}
