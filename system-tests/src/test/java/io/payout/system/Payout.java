package io.payout.system;

import com.standardwebhooks.Webhook;
import io.payout.testsupport.Metrics;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** The running stack seen from outside: its public APIs, the sandbox's truth, and read-only SQL on its databases. */
public final class Payout {
    public static final Duration SETTLE_WAIT = Duration.ofSeconds(30);
    private final Stack stack;
    private final String opsToken;

    public Payout(Stack stack) throws Exception {
        this.stack = stack;
        this.opsToken = stack.token("system-test-ops", "ops");
    }

    // --- transfer-service ---

    public String token(String client) {
        try {
            return stack.token(client);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Response postTransfer(String token, String key, String sourceAccount, String accountNumber, String amount) {
        return given().baseUri(stack.url("transfer"))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body("""
                        {"source_account":"%s","destination":{"bank_code":"004","account_number":"%s"},
                         "amount":"%s","currency":"KRW","memo":"system test"}""".formatted(sourceAccount, accountNumber, amount))
                .when().post("/v1/transfers");
    }

    public Response transfer(String token, String id) {
        return given().baseUri(stack.url("transfer")).header("Authorization", "Bearer " + token)
                .when().get("/v1/transfers/" + id);
    }

    public String awaitTerminal(String token, String id) {
        await().atMost(SETTLE_WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            String state = transfer(token, id).path("state");
            return "SETTLED".equals(state) || "FAILED".equals(state);
        });
        return transfer(token, id).path("state");
    }

    /** A transfer that reached its end, as its client sees it. */
    public record Finished(String id, String client, String token, String account, String state, String externalRef,
                           String traceId, String valueDate) {
    }

    /**
     * A fresh client with a fresh account funded with 100 000 posts one transfer to {@code accountNumber} and waits
     * until it is SETTLED or FAILED.
     */
    public Finished transferToTheEnd(String accountNumber, String amount) {
        String client = "client-" + UUID.randomUUID();
        String token = token(client);
        String account = fundedAccount(client, 100_000);
        String id = postTransfer(token, UUID.randomUUID().toString(), account, accountNumber, amount)
                .then().statusCode(201).extract().path("id");
        String state = awaitTerminal(token, id);
        var view = transfer(token, id).jsonPath();
        return new Finished(id, client, token, account, state, view.getString("external_ref"), view.getString("trace_id"),
                view.getString("value_date"));
    }

    public RequestSpecification ops(String service) {
        return given().baseUri(stack.url(service)).header("Authorization", "Bearer " + opsToken);
    }

    // --- ledger-service ---

    /** A fresh KRW account owned by the client, funded with {@code deposit}. */
    public String fundedAccount(String owner, long deposit) {
        String id = "acc-" + UUID.randomUUID().toString().substring(0, 12);
        ops("ledger").contentType("application/json")
                .body("{\"id\":\"" + id + "\",\"currency\":\"KRW\",\"owner\":\"" + owner + "\"}")
                .when().post("/v1/accounts").then().statusCode(201);
        ops("ledger").contentType("application/json")
                .body("{\"amount\":\"" + deposit + "\",\"reference\":\"dep-" + id + "\"}")
                .when().post("/v1/accounts/" + id + "/deposits").then().statusCode(201);
        return id;
    }

    /** Available balance from the ledger's API, in minor units (KRW: no decimals). */
    public long available(String account) {
        return Long.parseLong(ops("ledger").when().get("/v1/accounts/" + account).then().statusCode(200)
                .extract().path("available"));
    }

    public long held(String account) {
        return Long.parseLong(ops("ledger").when().get("/v1/accounts/" + account).then().statusCode(200)
                .extract().path("held"));
    }

    // --- the bank's truth ---

    /** The sandbox bank's own API (executions, statement amendments, forced executions). */
    public RequestSpecification sandbox() {
        return given().baseUri(stack.url("sandbox"));
    }

    /** bank_tran_id → how many times money left for it. */
    public Map<String, Integer> executions() {
        List<Map<String, Object>> list = given().baseUri(stack.url("sandbox")).when().get("/sandbox/executions")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Integer> byRef = new HashMap<>();
        for (Map<String, Object> e : list) {
            byRef.put((String) e.get("bank_tran_id"), ((Number) e.get("count")).intValue());
        }
        return byRef;
    }

    // --- webhooks, signed as the bank signs them ---

    public Response deliverWebhook(String eventId, String body) {
        try {
            long timestamp = Instant.now().getEpochSecond();
            String signature = new Webhook(stack.webhookSecret()).sign(eventId, timestamp, body);
            return given().baseUri(stack.url("webhook"))
                    .header("webhook-id", eventId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .contentType("application/json").body(body)
                    .when().post("/v1/webhooks/bank");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- read-only SQL on a service's database ---

    public List<Map<String, Object>> query(String service, String sql, Object... params) {
        return stack.query(service, sql, params);
    }

    public long count(String service, String sql, Object... params) {
        return ((Number) query(service, sql, params).get(0).values().iterator().next()).longValue();
    }

    /** Sum over every service of a Prometheus counter's samples whose labels contain {@code labelFilter}. */
    public double metric(String name, String labelFilter) {
        double sum = 0;
        for (String svc : List.of("transfer", "ledger", "bank_adapter", "webhook")) {
            sum += Metrics.in(given().baseUri(stack.url(svc)).when().get("/q/metrics").then().statusCode(200)
                    .extract().asString(), name, labelFilter);
        }
        return sum;
    }

    public Stack stack() {
        return stack;
    }
}
