package io.payout.transfer;

import io.payout.testsupport.ServiceTestResource;
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

/** Without a valid token nothing is read or written: 401 problem+json, and the table counts do not move. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class AuthenticationTest {

    static Stream<Arguments> badAuthorization() {
        return Stream.of(
                Arguments.of("no token", null),
                Arguments.of("not a JWT", "Bearer not-a-jwt"),
                Arguments.of("bad signature", "Bearer " + Tokens.foreignSignature(CLIENT_A)),
                Arguments.of("expired", "Bearer " + Tokens.expired(CLIENT_A)),
                Arguments.of("wrong issuer", "Bearer " + Tokens.wrongIssuer(CLIENT_A)),
                Arguments.of("no subject", "Bearer " + Tokens.withoutSubject()),
                Arguments.of("basic scheme", "Basic Y2xpZW50LWE6cGFzcw=="),
                Arguments.of("tampered payload", "Bearer " + tamper(Tokens.forClient(CLIENT_A))));
    }

    @ParameterizedTest(name = "POST with {0} → 401")
    @MethodSource("badAuthorization")
    void postWithoutValidTokenIsRefusedAndWritesNothing(String name, String authorization) {
        var before = TransferApi.Written.now();
        var spec = given().header("Idempotency-Key", newKey()).contentType("application/json").body(validBody());
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        spec.when().post("/v1/transfers").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("UNAUTHORIZED"))
                .body("status", equalTo(401))
                .body("trace_id", matchesPattern("[0-9a-f]{32}"));
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @ParameterizedTest(name = "GET with {0} → 401")
    @MethodSource("badAuthorization")
    void getWithoutValidTokenIsRefused(String name, String authorization) {
        var spec = given();
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        spec.when().get("/v1/transfers?idempotency_key=x").then().statusCode(401)
                .contentType("application/problem+json");
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
