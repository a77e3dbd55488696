package io.payout.system;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * Tokens the local stack must refuse, each wrong in exactly one way compared with what {@code deploy/local/token.sh}
 * prints (issuer and audience {@code payout-local}, the dev key named by its {@code kid}, a {@code groups} claim).
 * A claim the stack starts requiring goes into {@link #claims}, so each token stays wrong in one way only.
 */
final class BadTokens {
    static final String ISSUER = "payout-local";
    static final String AUDIENCE = "payout-local";
    /** The dev key's id in deploy/local/dev-keys/jwks.json: a foreign signature under it fails on the signature. */
    static final String KID = "payout-dev-1";
    private static final PrivateKey DEV_KEY = devKey();
    private static final PrivateKey STRANGER = stranger();

    private BadTokens() {
    }

    static String expired(String client, String... roles) {
        Instant past = Instant.now().minusSeconds(3600);
        return claims(ISSUER, client, roles).issuedAt(past.minusSeconds(600)).expiresAt(past)
                .jws().keyId(KID).sign(DEV_KEY);
    }

    static String wrongIssuer(String client, String... roles) {
        return claims("someone-else", client, roles).expiresIn(600).jws().keyId(KID).sign(DEV_KEY);
    }

    /** Well-formed, right issuer, signed by a key the stack does not trust. */
    static String foreignSignature(String client, String... roles) {
        return claims(ISSUER, client, roles).expiresIn(600).jws().keyId(KID).sign(STRANGER);
    }

    /** The same claims, unsigned ({@code alg: none}): the classic downgrade. */
    static String unsigned(String client, String... roles) {
        String signed = claims(ISSUER, client, roles).expiresIn(600).jws().keyId(KID).sign(DEV_KEY);
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + signed.split("\\.")[1] + ".";
    }

    /** Right in every way but {@code aud}, which the stack requires. */
    static String noAudience(String client, String... roles) {
        return Jwt.issuer(ISSUER).subject(client).groups(Set.of(roles)).expiresIn(600).jws().keyId(KID).sign(DEV_KEY);
    }

    private static io.smallrye.jwt.build.JwtClaimsBuilder claims(String issuer, String client, String... roles) {
        return Jwt.issuer(issuer).audience(AUDIENCE).subject(client).groups(Set.of(roles));
    }

    private static PrivateKey devKey() {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(
                    LocalStack.ROOT.resolve("deploy/local/dev-keys/jwt-private.pem")));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the local dev key", e);
        }
    }

    private static PrivateKey stranger() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair().getPrivate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
