package io.payout.testsupport;

import io.smallrye.jwt.build.Jwt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * RS256 tokens for tests, signed by a key pair generated for this JVM (no private key is ever committed for tests).
 * {@link ServiceTestResource} configures the service under test to trust {@link #publicKeyBase64()}.
 */
public final class Tokens {
    public static final String ISSUER = "payout-test";
    private static final KeyPair KEYS = generate();
    private static final KeyPair STRANGER = generate();

    private Tokens() {
    }

    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /**
     * The private key of {@link #publicKeyBase64()} as PKCS#8 PEM, for a service under test that signs its own
     * service tokens (e.g. the ledger calling bank-adapter): what it signs is then verifiable like any test token.
     */
    public static String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The public key every service under test trusts. */
    public static java.security.PublicKey publicKey() {
        return KEYS.getPublic();
    }

    /** A valid token for the client, optionally with roles in the {@code groups} claim. */
    public static String forClient(String clientId, String... roles) {
        return Jwt.issuer(ISSUER).subject(clientId).groups(Set.of(roles)).expiresIn(600).sign(KEYS.getPrivate());
    }

    public static String expired(String clientId) {
        Instant past = Instant.now().minusSeconds(3600);
        return Jwt.issuer(ISSUER).subject(clientId).issuedAt(past.minusSeconds(600)).expiresAt(past)
                .sign(KEYS.getPrivate());
    }

    public static String wrongIssuer(String clientId) {
        return Jwt.issuer("someone-else").subject(clientId).expiresIn(600).sign(KEYS.getPrivate());
    }

    /** Well-formed, but signed by a key the service does not trust. */
    public static String foreignSignature(String clientId) {
        return Jwt.issuer(ISSUER).subject(clientId).expiresIn(600).sign(STRANGER.getPrivate());
    }

    public static String withoutSubject() {
        return Jwt.issuer(ISSUER).claim("scope", "none").expiresIn(600).sign(KEYS.getPrivate());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
