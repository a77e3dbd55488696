package io.payout.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Rows;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Test fixtures for the bank webhook endpoint: bodies, Standard Webhooks signing, calls, and what got written. */
final class BankWebhooks {
    static final String PATH = "/v1/webhooks/bank";
    static final String TYPE = "webhook.bank-result";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BankWebhooks() {
    }

    static String newId() {
        return "msg_" + UUID.randomUUID();
    }

    static String newBankTranId() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 19).toUpperCase();
    }

    static String result(String bankTranId, String status) {
        return """
                {"type": "transfer.result",
                 "data": {"bank_tran_id": "%s", "status": "%s", "amount": 15000, "currency": "KRW", "reason": %s}}"""
                .formatted(bankTranId, status, "FAILED".equals(status) ? "\"INSUFFICIENT_FUNDS\"" : "null");
    }

    /** A secret no service is configured with. */
    static String strangerSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String sign(String secret, String id, long timestamp, String body) {
        try {
            return new Webhook(secret).sign(id, timestamp, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three Standard Webhooks headers, signed now with {@code secret}. */
    static Map<String, String> signedHeaders(String secret, String id, String body) {
        return signedHeaders(secret, id, now(), body);
    }

    static Map<String, String> signedHeaders(String secret, String id, long timestamp, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("webhook-id", id);
        h.put("webhook-timestamp", Long.toString(timestamp));
        h.put("webhook-signature", sign(secret, id, timestamp, body));
        return h;
    }

    static Response post(Map<String, String> headers, String body) {
        return post(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes, so what is sent is exactly what was signed (no client-side charset games). */
    static Response post(Map<String, String> headers, byte[] body) {
        return given().headers(headers).contentType("application/json").body(body).when().post(PATH);
    }

    /** Rows in every table a webhook can write. */
    record Written(long events, long outbox) {
        static Written now() {
            return new Written(Rows.table("webhook_events"), Rows.table("outbox"));
        }
    }

    static long eventRows(String eventId) {
        return Rows.count("select count(*) from webhook_events where event_id = ?", eventId);
    }

    static long outboxRows(String eventId) {
        return Rows.count("select count(*) from outbox where type = ? and payload->>'event_id' = ?", TYPE, eventId);
    }

    /** The broker messages whose payload names this event. */
    static List<JsonNode> published(BrokerProbe probe, String eventId) {
        return probe.received().stream().map(m -> envelope(m.body()))
                .filter(e -> eventId.equals(e.at("/payload/event_id").asText()))
                .toList();
    }

    static JsonNode envelope(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }
}
