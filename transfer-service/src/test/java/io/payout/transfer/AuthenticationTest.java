package io.payout.transfer;

import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.SigningKey;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Without a valid token nothing is read or written: 401 problem+json with a stable code (UNAUTHORIZED without a bearer
 * token, TOKEN_EXPIRED, TOKEN_INVALID), and the table counts do not move. The service verifies against test-support's
 * JWKS server like production against its JWKS URL.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AuthenticationTest {

    static Stream<Arguments> badAuthorization() {
        return Stream.of(
                Arguments.of("no token", null, "UNAUTHORIZED"),
                Arguments.of("basic scheme", "Basic Y2xpZW50LWE6cGFzcw==", "UNAUTHORIZED"),
                Arguments.of("not a JWT", "Bearer not-a-jwt", "TOKEN_INVALID"),
                Arguments.of("foreign signature", "Bearer " + Tokens.foreignSignature(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("kid not in the JWKS", "Bearer " + Tokens.signedWith(SigningKey.generate("unpublished"),
                        CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("tampered payload", "Bearer " + tamper(Tokens.forClient(CLIENT_A)), "TOKEN_INVALID"),
                Arguments.of("alg none", "Bearer " + Tokens.algNone(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("HS256 signed with the public key", "Bearer " + Tokens.hs256WithPublicKey(CLIENT_A),
                        "TOKEN_INVALID"),
                Arguments.of("expired", "Bearer " + Tokens.expired(CLIENT_A), "TOKEN_EXPIRED"),
                // its lifetime (exp - iat) exceeds smallrye.jwt.time-to-live, which also bounds a token's age
                Arguments.of("issued too long ago", "Bearer " + Tokens.issuedLongAgo(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("lifetime too long", "Bearer " + Tokens.livesTooLong(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("no exp", "Bearer " + Tokens.withoutExpiry(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("wrong issuer", "Bearer " + Tokens.wrongIssuer(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("wrong audience", "Bearer " + Tokens.wrongAudience(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("no audience", "Bearer " + Tokens.withoutAudience(CLIENT_A), "TOKEN_INVALID"),
                Arguments.of("no subject", "Bearer " + Tokens.withoutSubject(), "TOKEN_INVALID"));
    }

    @ParameterizedTest(name = "POST with {0} → 401 {2}")
    @MethodSource("badAuthorization")
    void postWithoutValidTokenIsRefusedAndWritesNothing(String name, String authorization, String code) {
        var before = TransferApi.Written.now();
        var spec = given().header("Idempotency-Key", newKey()).contentType("application/json").body(validBody());
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        spec.when().post("/v1/transfers").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo(code))
                .body("status", equalTo(401))
                .body("trace_id", matchesPattern("[0-9a-f]{32}"));
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @ParameterizedTest(name = "GET with {0} → 401 {2}")
    @MethodSource("badAuthorization")
    void getWithoutValidTokenIsRefused(String name, String authorization, String code) {
        var spec = given();
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        spec.when().get("/v1/transfers?idempotency_key=x").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo(code));
    }

    /** Swap the subject in the payload, keep the original signature. */
    private static String tamper(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]))
                .replace(CLIENT_A, "client-z");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes()) + "." + parts[2];
    }
}
