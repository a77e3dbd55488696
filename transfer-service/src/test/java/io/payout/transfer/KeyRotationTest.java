package io.payout.transfer;

import io.payout.testsupport.JwksServer;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.SigningKey;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.payout.transfer.TransferApi.CLIENT_A;
import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Keys rotate without a restart: the running service verifies against the JWKS URL, refetching it when a token names
 * an unknown {@code kid} (and every {@code smallrye.jwt.jwks.refresh-interval} minutes).
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class KeyRotationTest {

    @Test
    void aKeyAddedToTheJwksIsAcceptedWithoutRestart() {
        SigningKey next = SigningKey.generate("next-" + UUID.randomUUID());
        String token = Tokens.signedWith(next, CLIENT_A);
        statusWith(token, 401);

        JwksServer.publish(next);
        // the refetch a new kid forces may be skipped right after another one (jose4j's reprieve): poll, bounded
        await().atMost(Duration.ofSeconds(30)).until(() -> lookup(token) != 401);
        assertThat(lookup(token)).isEqualTo(404);

        var before = TransferApi.Written.now();
        given().header("Authorization", "Bearer " + token).header("Idempotency-Key", newKey())
                .contentType("application/json").body(validBody())
                .when().post("/v1/transfers").then().statusCode(201);
        assertThat(TransferApi.Written.now().transfers()).isEqualTo(before.transfers() + 1);
    }

    @Test
    void aKeyWithdrawnFromTheJwksIsRefusedAfterTheNextRefresh() {
        SigningKey old = SigningKey.generate("old-" + UUID.randomUUID());
        JwksServer.publish(old);
        String token = Tokens.signedWith(old, CLIENT_A);
        await().atMost(Duration.ofSeconds(30)).until(() -> lookup(token) != 401);

        JwksServer.withdraw(old.kid());
        // the cached key set still holds it until the next refetch: the periodic one (refresh-interval minutes) or,
        // as here, the one any unknown kid forces
        String unknown = Tokens.signedWith(SigningKey.generate("unknown-" + UUID.randomUUID()), CLIENT_A);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            lookup(unknown);
            return lookup(token) == 401;
        });
        statusWith(token, 401);
    }

    private static void statusWith(String token, int status) {
        given().header("Authorization", "Bearer " + token).when().get("/v1/transfers/" + UUID.randomUUID())
                .then().statusCode(status).body("code", equalTo(status == 401 ? "TOKEN_INVALID" : "NOT_FOUND"));
    }

    private static int lookup(String token) {
        return given().header("Authorization", "Bearer " + token).when().get("/v1/transfers/" + UUID.randomUUID())
                .statusCode();
    }
}
