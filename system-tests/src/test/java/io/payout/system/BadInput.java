package io.payout.system;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.standardwebhooks.Webhook;
import io.restassured.path.json.JsonPath;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vocabulary of {@link BadInputIT}'s case table: a {@link Case} is one request ({@link Call}) and the answer it
 * must get ({@link Expect}). Calls are data: tokens ({@link Auth}), fixture ids ({@code {A_ACCOUNT}} …) and webhook
 * signatures ({@link Signing}) are resolved only when the case is sent, so a case is one readable line.
 */
final class BadInput {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PROBLEM_JSON = "application/problem+json";

    private BadInput() {
    }

    /** Who calls. Valid tokens come from {@code token.sh}; bad ones from {@link BadTokens}, each wrong in one way. */
    enum Auth {
        NONE, CLIENT_A, CLIENT_B, OPS, STATEMENT_READER, EXPIRED, WRONG_ISSUER, FOREIGN_SIGNATURE, UNSIGNED, NO_AUDIENCE,
        GARBAGE
    }

    /**
     * How a webhook is signed: with the stack's secret (or {@code secret}), {@code offsetSeconds} from now (or the
     * literal {@code timestamp}), over the body and id sent (or {@code signedBody} / {@code signedId}); a literal
     * {@code signature} replaces the computed one; {@code omit} leaves headers out.
     */
    record Signing(String secret, long offsetSeconds, String timestamp, String signedBody, String signedId,
                   String signature, Set<String> omit) {
        static Signing ours() {
            return new Signing(null, 0, null, null, null, null, Set.of());
        }

        Signing withSecret(String s) {
            return new Signing(s, offsetSeconds, timestamp, signedBody, signedId, signature, omit);
        }

        Signing at(long offset) {
            return new Signing(secret, offset, timestamp, signedBody, signedId, signature, omit);
        }

        Signing timestamp(String literal) {
            return new Signing(secret, offsetSeconds, literal, signedBody, signedId, signature, omit);
        }

        Signing over(String body) {
            return new Signing(secret, offsetSeconds, timestamp, body, signedId, signature, omit);
        }

        Signing forId(String id) {
            return new Signing(secret, offsetSeconds, timestamp, signedBody, id, signature, omit);
        }

        Signing signature(String literal) {
            return new Signing(secret, offsetSeconds, timestamp, signedBody, signedId, literal, omit);
        }

        Signing without(String... headers) {
            return new Signing(secret, offsetSeconds, timestamp, signedBody, signedId, signature, Set.of(headers));
        }
    }

    /** One HTTP request to one service, as data. {@code raw} (bytes sent as is) wins over {@code body}. */
    record Call(String service, String method, String path, Auth auth, Map<String, String> headers,
                String contentType, String body, byte[] raw, Signing signing) {
        static Call to(String service, String method, String path, Auth auth) {
            return new Call(service, method, path, auth, Map.of(), null, null, null, null);
        }

        /** POST /v1/transfers as client A with a fresh Idempotency-Key and this JSON body. */
        static Call postTransfer(String body) {
            return to("transfer", "POST", "/v1/transfers", Auth.CLIENT_A).header("Idempotency-Key", "{NEW}").json(body);
        }

        /** POST /v1/webhooks/bank: this body, signed by default as the bank signs, with a fresh webhook-id. */
        static Call webhook(String body) {
            return to("webhook", "POST", "/v1/webhooks/bank", Auth.NONE).header("webhook-id", "evt-bad-{NEW}")
                    .json(body).signed(Signing.ours());
        }

        Call with(String otherPath) {
            return new Call(service, method, otherPath, auth, headers, contentType, body, raw, signing);
        }

        Call method(String otherMethod) {
            return new Call(service, otherMethod, path, auth, headers, contentType, body, raw, signing);
        }

        Call as(Auth a) {
            return new Call(service, method, path, a, headers, contentType, body, raw, signing);
        }

        Call header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (value == null) {
                h.remove(name);
            } else {
                h.put(name, value);
            }
            return new Call(service, method, path, auth, Map.copyOf(h), contentType, body, raw, signing);
        }

        Call json(String b) {
            return body("application/json", b);
        }

        Call body(String type, String b) {
            return new Call(service, method, path, auth, headers, type, b, null, signing);
        }

        Call raw(String type, byte[] bytes) {
            return new Call(service, method, path, auth, headers, type, null, bytes, signing);
        }

        Call signed(Signing s) {
            return new Call(service, method, path, auth, headers, contentType, body, raw, s);
        }
    }

    /** What a case needs at send time and in its checks: the stack, tokens and fixture values. */
    interface Context {
        Payout payout();

        String token(Auth auth);

        /** {@code {NAME}} → the fixture's value; {@code {NEW}} → a fresh UUID at each occurrence. */
        String resolve(String text);
    }

    /** The answer, read once. */
    record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonPath json() {
            return JsonPath.from(body);
        }

        @Override
        public String toString() {
            return status + " " + headers.map() + "\n" + body;
        }
    }

    /** An extra assertion on the answer, e.g. that an injection string was stored verbatim. */
    interface Check {
        void verify(Answer answer, Context context);

        default Check and(Check next) {
            return (a, ctx) -> {
                verify(a, ctx);
                next.verify(a, ctx);
            };
        }
    }

    /**
     * The answer a case must get. {@code fields} ("field:CODE") must be exactly the problem's {@code errors};
     * {@code writes} says the case may write (an injection string that is a valid value, proven stored verbatim by
     * {@code check}).
     */
    record Expect(int status, String code, List<String> fields, boolean problem, boolean writes,
                  Check check) {
        static Expect problem(int status, String code, String... fields) {
            return new Expect(status, code, List.of(fields), true, false, null);
        }

        /** 400 {@code VALIDATION_FAILED} listing exactly these field errors ("field:CODE"). */
        static Expect invalid(String... fields) {
            return problem(400, "VALIDATION_FAILED", fields);
        }

        /** A 2xx that must still write nothing (a replayed webhook). */
        static Expect answered(int status, Check check) {
            return new Expect(status, null, List.of(), false, false, check);
        }

        /** A valid value that looks dangerous: accepted, and {@code check} proves it stored verbatim and harmless. */
        static Expect harmless(int status, Check check) {
            return new Expect(status, null, List.of(), false, true, check);
        }

        Expect then(Check c) {
            Check both = check == null ? c : check.and(c);
            return new Expect(status, code, fields, problem, writes, both);
        }

        void verify(Answer a, Context ctx) {
            assertThat(a.status()).as("status of %s", a).isEqualTo(status);
            if (problem) {
                assertThat(a.header("Content-Type")).as("content type").startsWith(PROBLEM_JSON);
                JsonPath p = a.json();
                assertThat(p.getString("code")).as("code").isEqualTo(code);
                assertThat(p.getInt("status")).as("status in the body").isEqualTo(status);
                assertThat(p.getString("trace_id")).as("trace_id").matches("[0-9a-f]{32}");
                List<Map<String, Object>> errors = p.getList("errors");
                List<String> listed = new ArrayList<>();
                for (Map<String, Object> e : errors == null ? List.<Map<String, Object>>of() : errors) {
                    listed.add(e.get("field") + ":" + e.get("code"));
                }
                assertThat(listed).as("every field error, nothing else").containsExactlyInAnyOrderElementsOf(fields);
            }
            if (check != null) {
                check.verify(a, ctx);
            }
        }
    }

    /** One row of the table: what it proves (its display name), the request, the answer. */
    record Case(String proves, Call call, Expect expect) {
        @Override
        public String toString() {
            String path = call.path().length() > 70 ? call.path().substring(0, 67) + "…" : call.path();
            return call.service() + " " + call.method()
                    + " " + path + " — " + proves;
        }
    }

    static Case bad(String proves, Call call, Expect expect) {
        return new Case(proves, call, expect);
    }

    // --- bodies: a valid one with one thing changed ---

    /** A JSON literal to put in a body as is (e.g. {@code raw("\"\\ud800\"")}); {@link #REMOVE} deletes the field. */
    record Raw(String json) {
    }

    static final Object REMOVE = new Object();

    static Raw raw(String json) {
        return new Raw(json);
    }

    /**
     * {@code valid} with each {@code path → value} applied ({@code "destination.bank_code"} for nested fields):
     * a String or number becomes that JSON value, a {@link Raw} is inserted verbatim (escapes, lone surrogates),
     * {@link #REMOVE} removes the field, a path that does not exist is added.
     */
    static String edit(String valid, Object... pathValue) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(valid);
            Map<String, String> raws = new LinkedHashMap<>();
            for (int i = 0; i < pathValue.length; i += 2) {
                String[] path = ((String) pathValue[i]).split("\\.");
                ObjectNode parent = root;
                for (int j = 0; j < path.length - 1; j++) {
                    parent = (ObjectNode) parent.get(path[j]);
                }
                String name = path[path.length - 1];
                Object v = pathValue[i + 1];
                if (v == REMOVE) {
                    parent.remove(name);
                } else if (v instanceof Raw r) {
                    String marker = "@@raw" + raws.size() + "@@";
                    raws.put("\"" + marker + "\"", r.json());
                    parent.put(name, marker);
                } else {
                    parent.set(name, JSON.valueToTree(v));
                }
            }
            String text = JSON.writeValueAsString(root);
            for (Map.Entry<String, String> r : raws.entrySet()) {
                text = text.replace(r.getKey(), r.getValue());
            }
            return text;
        } catch (Exception e) {
            throw new IllegalArgumentException(valid, e);
        }
    }

    // --- sending ---

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Sends the call exactly as described: no charset appended, no content type guessed, the path sent as written
     * (already percent-encoded where needed).
     */
    static Answer send(Call call, Context ctx) {
        String path = ctx.resolve(call.path());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ctx.payout().stack().url(call.service()) + path))
                .timeout(Duration.ofSeconds(60));
        Map<String, String> headers = new LinkedHashMap<>();
        call.headers().forEach((k, v) -> headers.put(k, ctx.resolve(v)));
        String token = ctx.token(call.auth());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        byte[] bytes = call.raw() != null ? call.raw()
                : call.body() != null ? ctx.resolve(call.body()).getBytes(StandardCharsets.UTF_8) : null;
        if (call.signing() != null) {
            sign(call.signing(), headers, bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8), ctx);
        }
        if (call.contentType() != null) {
            headers.put("Content-Type", call.contentType());
        }
        headers.forEach(b::header);
        b.method(call.method(), bytes == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(call.method() + " " + path, e);
        }
    }

    private static void sign(Signing s, Map<String, String> headers, String body, Context ctx) {
        String id = headers.get("webhook-id");
        long at = Instant.now().getEpochSecond() + s.offsetSeconds();
        String timestamp = s.timestamp() != null ? s.timestamp() : Long.toString(at);
        String signature = s.signature();
        if (signature == null) {
            String secret = s.secret() != null ? s.secret() : ctx.payout().stack().webhookSecret();
            try {
                signature = new Webhook(secret).sign(s.signedId() != null ? s.signedId() : id, at,
                        s.signedBody() != null ? ctx.resolve(s.signedBody()) : body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", signature);
        s.omit().forEach(headers::remove);
    }

    /** A secret of the right shape that the stack does not have. */
    static String unknownSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));
    }

    static String randomSignature() {
        return "v1," + Base64.getEncoder().encodeToString(randomBytes(32));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    // --- checks shared by cases ---

    /** A 401 names how to authenticate. */
    static Check challenge(String scheme) {
        return (a, ctx) -> assertThat(a.header("WWW-Authenticate")).as("WWW-Authenticate").startsWith(scheme);
    }

    /** Nothing the caller sent came back as a header of its own (CRLF injection). */
    static Check noHeader(String name) {
        return (a, ctx) -> assertThat(a.headers().firstValue(name)).as(name + " header").isEmpty();
    }

    static Check field(String path, Object value) {
        return (a, ctx) -> assertThat((Object) a.json().get(path)).as(path).isEqualTo(value);
    }

}
