package io.payout.webhook;

import io.payout.testsupport.ServiceTestResource;
import io.payout.webhook.config.WebhookConfig;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.payout.webhook.BankWebhooks.newBankTranId;
import static io.payout.webhook.BankWebhooks.newId;
import static io.payout.webhook.BankWebhooks.now;
import static io.payout.webhook.BankWebhooks.post;
import static io.payout.webhook.BankWebhooks.result;
import static io.payout.webhook.BankWebhooks.signedHeaders;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal: the documented status and problem code, problem+json with a trace id, and not one row written
 * (no event, no outbox message). Requests are built when the case runs, so "now" is the real now.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RejectedWebhooksTest {
    private static final int SIX_MINUTES = 360;

    @Inject
    WebhookConfig config;

    /** What a case sends: headers and the exact body bytes. */
    record Sent(Map<String, String> headers, byte[] body) {
        static Sent of(Map<String, String> headers, String body) {
            return new Sent(headers, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    record Case(String name, Function<String, Sent> request, int status, String code, Map<String, String> fieldErrors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- origin: 401 ---
                unauthorized("garbage signature", secret -> {
                    String body = valid();
                    return Sent.of(with(signedHeaders(secret, newId(), body), "webhook-signature", "v1,AAAA"), body);
                }, "WEBHOOK_SIGNATURE_INVALID"),
                unauthorized("signed with a secret we do not have", secret -> {
                    String body = valid();
                    return Sent.of(signedHeaders(BankWebhooks.strangerSecret(), newId(), body), body);
                }, "WEBHOOK_SIGNATURE_INVALID"),
                unauthorized("body changed after signing", secret -> {
                    String body = valid();
                    return Sent.of(signedHeaders(secret, newId(), body), body.replace("15000", "1500000"));
                }, "WEBHOOK_SIGNATURE_INVALID"),
                unauthorized("webhook-id changed after signing", secret -> {
                    String body = valid();
                    return Sent.of(with(signedHeaders(secret, newId(), body), "webhook-id", newId()), body);
                }, "WEBHOOK_SIGNATURE_INVALID"),
                unauthorized("signature scheme other than v1", secret -> {
                    String body = valid();
                    Map<String, String> h = signedHeaders(secret, newId(), body);
                    return Sent.of(with(h, "webhook-signature", h.get("webhook-signature").replace("v1,", "v1a,")), body);
                }, "WEBHOOK_SIGNATURE_INVALID"),
                unauthorized("no headers at all", secret -> Sent.of(Map.of(), valid()), "WEBHOOK_SIGNATURE_MISSING"),
                unauthorized("no webhook-signature", secret -> {
                    String body = valid();
                    return Sent.of(without(signedHeaders(secret, newId(), body), "webhook-signature"), body);
                }, "WEBHOOK_SIGNATURE_MISSING"),
                unauthorized("no webhook-id (the signature covers it)", secret -> {
                    String body = valid();
                    return Sent.of(without(signedHeaders(secret, "", body), "webhook-id"), body);
                }, "WEBHOOK_SIGNATURE_MISSING"),
                unauthorized("no webhook-timestamp", secret -> {
                    String body = valid();
                    return Sent.of(without(signedHeaders(secret, newId(), body), "webhook-timestamp"), body);
                }, "WEBHOOK_SIGNATURE_MISSING"),
                unauthorized("timestamp not in seconds", secret -> {
                    String body = valid();
                    return Sent.of(with(signedHeaders(secret, newId(), body), "webhook-timestamp", "yesterday"), body);
                }, "WEBHOOK_TIMESTAMP_INVALID"),
                unauthorized("signed 6 minutes ago (a replay)", secret -> {
                    String body = valid();
                    return Sent.of(signedHeaders(secret, newId(), now() - SIX_MINUTES, body), body);
                }, "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE"),
                unauthorized("signed 6 minutes in the future", secret -> {
                    String body = valid();
                    return Sent.of(signedHeaders(secret, newId(), now() + SIX_MINUTES, body), body);
                }, "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE"),
                // --- size: 413, before any signature work ---
                new Case("body one byte over the limit", secret -> {
                    String body = padded(valid(), 65_537);
                    return Sent.of(signedHeaders(secret, newId(), body), body);
                }, 413, "PAYLOAD_TOO_LARGE", Map.of()),
                // --- body: 400, signed correctly ---
                malformed("not JSON", "{\"type\": \"transfer.result\", "),
                malformed("empty body", ""),
                malformed("an array", "[]"),
                malformed("trailing garbage", valid() + " x"),
                malformed("duplicate key", "{\"type\":\"transfer.result\",\"type\":\"transfer.result\",\"data\":{}}"),
                new Case("not UTF-8", secret -> new Sent(Map.of("webhook-id", newId()),
                        new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                        400, "MALFORMED_JSON", Map.of()),
                invalid("no type", "{\"data\":{\"bank_tran_id\":\"T1\",\"status\":\"SUCCEEDED\"}}",
                        Map.of("type", "REQUIRED")),
                invalid("no data", "{\"type\":\"transfer.result\"}", Map.of("data", "REQUIRED")),
                invalid("data not an object", "{\"type\":\"transfer.result\",\"data\":\"SUCCEEDED\"}",
                        Map.of("data", "WRONG_TYPE")),
                invalid("no bank_tran_id", "{\"type\":\"transfer.result\",\"data\":{\"status\":\"SUCCEEDED\"}}",
                        Map.of("data.bank_tran_id", "REQUIRED")),
                invalid("no status", "{\"type\":\"transfer.result\",\"data\":{\"bank_tran_id\":\"T1\"}}",
                        Map.of("data.status", "REQUIRED")),
                invalid("status PENDING", data("\"bank_tran_id\":\"T1\",\"status\":\"PENDING\""),
                        Map.of("data.status", "INVALID_VALUE")),
                invalid("status in lower case", data("\"bank_tran_id\":\"T1\",\"status\":\"succeeded\""),
                        Map.of("data.status", "INVALID_VALUE")),
                invalid("amount as a string", data("\"bank_tran_id\":\"T1\",\"status\":\"FAILED\",\"amount\":\"15000\""),
                        Map.of("data.amount", "WRONG_TYPE")),
                invalid("fractional amount", data("\"bank_tran_id\":\"T1\",\"status\":\"FAILED\",\"amount\":150.5"),
                        Map.of("data.amount", "WRONG_TYPE")),
                invalid("negative amount", data("\"bank_tran_id\":\"T1\",\"status\":\"FAILED\",\"amount\":-1"),
                        Map.of("data.amount", "TOO_SMALL")),
                invalid("lower-case currency", data("\"bank_tran_id\":\"T1\",\"status\":\"FAILED\",\"currency\":\"krw\""),
                        Map.of("data.currency", "INVALID_FORMAT")),
                invalid("NUL in reason", data("\"bank_tran_id\":\"T1\",\"status\":\"FAILED\",\"reason\":\"a\\u0000b\""),
                        Map.of("data.reason", "INVALID_CHARACTERS")),
                invalid("bank_tran_id with a space", data("\"bank_tran_id\":\"T 1\",\"status\":\"FAILED\""),
                        Map.of("data.bank_tran_id", "INVALID_FORMAT")),
                invalid("three errors at once", data("\"status\":\"DONE\",\"amount\":1.5"),
                        Map.of("data.bank_tran_id", "REQUIRED", "data.status", "INVALID_VALUE",
                                "data.amount", "WRONG_TYPE")),
                new Case("webhook-id of 256 characters", secret -> {
                    String body = valid();
                    return Sent.of(signedHeaders(secret, "m".repeat(256), body), body);
                }, 400, "VALIDATION_FAILED", Map.of("webhook-id", "INVALID_FORMAT")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAProblemAndNothingStored(Case c) {
        var before = BankWebhooks.Written.now();
        double rejectedBefore = BankWebhookTest.metric("payout_webhooks_rejected_total",
                "reason=\"" + c.code().toLowerCase() + "\"");
        Sent sent = c.request().apply(config.secrets().get(0));

        Response r = post(sent.headers(), sent.body());

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(c.status());
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("code")).isEqualTo(c.code());
        assertThat(r.jsonPath().getInt("status")).isEqualTo(c.status());
        assertThat(r.jsonPath().getString("type")).startsWith("urn:payout:problem:");
        assertThat(r.jsonPath().getString("title")).isNotBlank();
        assertThat(r.jsonPath().getString("detail")).isNotBlank();
        assertThat(r.jsonPath().getString("trace_id")).matches("[0-9a-f]{32}");
        if (c.status() == 401) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Webhook-Signature");
        }
        List<Map<String, String>> errors = r.jsonPath().getList("errors");
        Map<String, String> listed = new LinkedHashMap<>();
        if (errors != null) {
            errors.forEach(e -> listed.put(e.get("field"), e.get("code")));
        }
        assertThat(listed).isEqualTo(c.fieldErrors());
        assertThat(BankWebhooks.Written.now()).isEqualTo(before);
        assertThat(BankWebhookTest.metric("payout_webhooks_rejected_total", "reason=\"" + c.code().toLowerCase() + "\""))
                .isEqualTo(rejectedBefore + 1);
    }

    @Test
    void aRejectedWebhookDoesNotBlockTheValidOneWithTheSameId() {
        // a forged or stale copy arriving first must not take the event id away from the bank's real one
        String id = newId();
        String body = valid();
        post(signedHeaders(BankWebhooks.strangerSecret(), id, body), body).then().statusCode(401);
        post(signedHeaders(config.secrets().get(0), id, now() - SIX_MINUTES, body), body).then().statusCode(401);

        Response r = post(signedHeaders(config.secrets().get(0), id, body), body);

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("duplicate")).isFalse();
        assertThat(BankWebhooks.eventRows(id)).isEqualTo(1);
    }

    private static String valid() {
        return result(newBankTranId(), "SUCCEEDED");
    }

    private static String data(String fields) {
        return "{\"type\":\"transfer.result\",\"data\":{" + fields + "}}";
    }

    /** The valid body with an extra field, grown to exactly {@code size} bytes. */
    private static String padded(String body, int size) {
        String head = body.substring(0, body.lastIndexOf('}')) + ",\"padding\":\"";
        String tail = "\"}";
        return head + "x".repeat(size - head.length() - tail.length()) + tail;
    }

    private static Case unauthorized(String name, Function<String, Sent> request, String code) {
        return new Case(name, request, 401, code, Map.of());
    }

    private static Case malformed(String name, String body) {
        return new Case(name, secret -> Sent.of(signedHeaders(secret, newId(), body), body), 400, "MALFORMED_JSON",
                Map.of());
    }

    private static Case invalid(String name, String body, Map<String, String> fieldErrors) {
        return new Case(name, secret -> Sent.of(signedHeaders(secret, newId(), body), body), 400, "VALIDATION_FAILED",
                fieldErrors);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private static Map<String, String> without(Map<String, String> headers, String name) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.remove(name);
        return copy;
    }
}
