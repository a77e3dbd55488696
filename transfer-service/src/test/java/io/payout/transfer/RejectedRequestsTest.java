package io.payout.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear answer and changes nothing: each case names the status, the problem code and exactly the
 * field errors listed, and checks that no transfer, history or outbox row appeared.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RejectedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_OK = "use-a-fresh-key";

    record Case(String name, String key, String contentType, String body, int status, String code,
                Map<String, String> fieldErrors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- not JSON, or not one object ---
                raw("malformed JSON", "{\"source_account\": ", 400, "MALFORMED_JSON"),
                raw("empty body", "", 400, "MALFORMED_JSON"),
                raw("array instead of object", "[]", 400, "MALFORMED_JSON"),
                raw("bare string", "\"hello\"", 400, "MALFORMED_JSON"),
                raw("trailing garbage", TransferApi.validBody() + " x", 400, "MALFORMED_JSON"),
                raw("duplicate key", "{\"amount\":\"1\",\"amount\":\"2\"}", 400, "MALFORMED_JSON"),
                raw("body over the size limit", body(b -> b.put("memo", "m".repeat(20_000))), 413, "PAYLOAD_TOO_LARGE"),
                // --- missing and mistyped fields: all listed at once ---
                invalid("empty object", "{}", Map.of("source_account", "REQUIRED", "destination", "REQUIRED",
                        "amount", "REQUIRED", "currency", "REQUIRED")),
                invalid("missing amount", body(b -> b.remove("amount")), Map.of("amount", "REQUIRED")),
                invalid("null amount", body(b -> b.putNull("amount")), Map.of("amount", "REQUIRED")),
                invalid("amount as a number", body(b -> b.put("amount", 15000)), Map.of("amount", "WRONG_TYPE")),
                invalid("destination as a string", body(b -> b.put("destination", "004-1234")),
                        Map.of("destination", "WRONG_TYPE")),
                invalid("memo as an object", body(b -> b.putObject("memo")), Map.of("memo", "WRONG_TYPE")),
                invalid("three errors at once", body(b -> {
                    b.put("amount", 15000);
                    b.put("currency", "1");
                    ((ObjectNode) b.get("destination")).remove("bank_code");
                }), Map.of("amount", "WRONG_TYPE", "currency", "INVALID_FORMAT", "destination.bank_code", "REQUIRED")),
                invalid("unknown top-level field", body(b -> b.put("fee", "1")), Map.of("fee", "UNKNOWN_FIELD")),
                invalid("unknown nested field", body(b -> ((ObjectNode) b.get("destination")).put("iban", "x")),
                        Map.of("destination.iban", "UNKNOWN_FIELD")),
                // --- amounts ---
                invalid("negative amount", amount("-100", "KRW"), Map.of("amount", "INVALID_FORMAT")),
                invalid("zero amount", amount("0", "KRW"), Map.of("amount", "TOO_SMALL")),
                invalid("zero with decimals", amount("0.00", "USD"), Map.of("amount", "TOO_SMALL")),
                invalid("over the KRW maximum", amount("100000001", "KRW"), Map.of("amount", "TOO_LARGE")),
                invalid("beyond 64-bit minor units", amount("99999999999999999999999", "KRW"),
                        Map.of("amount", "TOO_LARGE")),
                invalid("decimals on KRW", amount("150.5", "KRW"), Map.of("amount", "TOO_MANY_DECIMALS")),
                invalid("three decimals on USD", amount("1.005", "USD"), Map.of("amount", "TOO_MANY_DECIMALS")),
                invalid("exponent notation", amount("1e5", "KRW"), Map.of("amount", "INVALID_FORMAT")),
                invalid("leading zeros", amount("015000", "KRW"), Map.of("amount", "INVALID_FORMAT")),
                invalid("grouping separator", amount("15,000", "KRW"), Map.of("amount", "INVALID_FORMAT")),
                invalid("full-width digits", amount("１５０００", "KRW"), Map.of("amount", "INVALID_FORMAT")),
                // --- currencies ---
                invalid("not an ISO 4217 code", amount("100", "XYZ"), Map.of("currency", "UNKNOWN_CURRENCY")),
                invalid("four-letter currency", amount("100", "KRWX"), Map.of("currency", "INVALID_FORMAT")),
                new Case("ISO currency we do not offer", KEY_OK, "application/json", amount("100", "EUR"), 422,
                        "UNSUPPORTED_CURRENCY", Map.of()),
                // --- accounts ---
                invalid("two-digit bank code", body(b -> ((ObjectNode) b.get("destination")).put("bank_code", "04")),
                        Map.of("destination.bank_code", "INVALID_FORMAT")),
                invalid("letters in account number",
                        body(b -> ((ObjectNode) b.get("destination")).put("account_number", "12AB5678")),
                        Map.of("destination.account_number", "INVALID_FORMAT")),
                invalid("account number too short",
                        body(b -> ((ObjectNode) b.get("destination")).put("account_number", "12345")),
                        Map.of("destination.account_number", "INVALID_LENGTH")),
                invalid("SQL injection in source account",
                        body(b -> b.put("source_account", "acc'; drop table transfers;--")),
                        Map.of("source_account", "INVALID_FORMAT")),
                invalid("empty source account", body(b -> b.put("source_account", "")),
                        Map.of("source_account", "INVALID_FORMAT")),
                // --- memo ---
                invalid("memo over 140 characters", body(b -> b.put("memo", "가".repeat(141))), Map.of("memo", "TOO_LONG")),
                invalid("NUL in memo", body(b -> b.put("memo", "a\u0000b")), Map.of("memo", "INVALID_CHARACTERS")),
                invalid("lone surrogate in memo", "{\"source_account\":\"acc-123\",\"destination\":{\"bank_code\":\"004\","
                        + "\"account_number\":\"12345678901234\"},\"amount\":\"1\",\"currency\":\"KRW\",\"memo\":\"\\ud800\"}",
                        Map.of("memo", "INVALID_CHARACTERS")),
                // --- the idempotency key and the media type ---
                new Case("missing Idempotency-Key", null, "application/json", TransferApi.validBody(), 400,
                        "VALIDATION_FAILED", Map.of("Idempotency-Key", "REQUIRED")),
                new Case("Idempotency-Key of 256 characters", "k".repeat(256), "application/json",
                        TransferApi.validBody(), 400, "VALIDATION_FAILED", Map.of("Idempotency-Key", "INVALID_FORMAT")),
                new Case("Idempotency-Key with a space", "my key", "application/json", TransferApi.validBody(), 400,
                        "VALIDATION_FAILED", Map.of("Idempotency-Key", "INVALID_FORMAT")),
                new Case("text/plain body", KEY_OK, "text/plain", TransferApi.validBody(), 415,
                        "UNSUPPORTED_MEDIA_TYPE", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badRequestIsRefusedWithProblemAndWritesNothing(Case c) {
        var before = TransferApi.Written.now();
        var spec = given().header("Authorization", "Bearer " + Tokens.forClient(CLIENT_A))
                .contentType(c.contentType()).body(c.body());
        if (c.key() != null) {
            spec.header("Idempotency-Key", KEY_OK.equals(c.key()) ? TransferApi.newKey() : c.key());
        }
        Response r = spec.when().post("/v1/transfers");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(c.status());
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("code")).isEqualTo(c.code());
        assertThat(r.jsonPath().getInt("status")).isEqualTo(c.status());
        assertThat(r.jsonPath().getString("type")).startsWith("urn:payout:problem:");
        assertThat(r.jsonPath().getString("title")).isNotBlank();
        assertThat(r.jsonPath().getString("detail")).isNotBlank();
        assertThat(r.jsonPath().getString("trace_id")).matches("[0-9a-f]{32}");
        List<Map<String, String>> errors = r.jsonPath().getList("errors");
        Map<String, String> listed = new LinkedHashMap<>();
        if (errors != null) {
            errors.forEach(e -> listed.put(e.get("field"), e.get("code")));
            assertThat(errors).allSatisfy(e -> assertThat(e.get("message")).isNotBlank());
        }
        assertThat(listed).isEqualTo(c.fieldErrors());
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    private static Case raw(String name, String body, int status, String code) {
        return new Case(name, KEY_OK, "application/json", body, status, code, Map.of());
    }

    private static Case invalid(String name, String body, Map<String, String> fieldErrors) {
        return new Case(name, KEY_OK, "application/json", body, 400, "VALIDATION_FAILED", fieldErrors);
    }

    private static String amount(String amount, String currency) {
        return body(b -> {
            b.put("amount", amount);
            b.put("currency", currency);
        });
    }

    private static String body(Consumer<ObjectNode> change) {
        try {
            ObjectNode b = (ObjectNode) JSON.readTree(TransferApi.validBody());
            change.accept(b);
            return JSON.writeValueAsString(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
