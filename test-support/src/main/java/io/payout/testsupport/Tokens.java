package io.payout.testsupport;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * RS256 tokens for tests, signed by {@link #KEY}, a key pair generated for this JVM and published by
 * {@link JwksServer} (no private key is ever committed for tests). {@link ServiceTestResource} makes the service under
 * test verify against that JWKS with {@link #ISSUER} and {@link #AUDIENCE}. The other factories build the tokens a
 * service must refuse.
 */
public final class Tokens {
    public static final String ISSUER = "payout-test";
    public static final String AUDIENCE = "payout-test";
    public static final SigningKey KEY = SigningKey.generate("test-1");
    /** Same {@code kid} as {@link #KEY}, another key: a signature the service cannot verify. */
    private static final SigningKey STRANGER = SigningKey.generate(KEY.kid());
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /**
     * The private key of {@link #KEY} as PKCS#8 PEM, for a service under test that signs its own service tokens
     * (e.g. the ledger calling bank-adapter, with {@code kid} {@link #KEY}): what it signs is then verifiable like
     * any test token.
     */
    public static String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(KEY.pair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The public key every service under test trusts. */
    public static PublicKey publicKey() {
        return KEY.publicKey();
    }

    /** A valid token for the client, optionally with roles in the {@code groups} claim. */
    public static String forClient(String clientId, String... roles) {
        return sign(claims(clientId).groups(Set.of(roles)), KEY);
    }

    /** A valid token signed by another key: accepted once that key is in the JWKS. */
    public static String signedWith(SigningKey key, String clientId) {
        return sign(claims(clientId), key);
    }

    public static String expired(String clientId) {
        Instant past = Instant.now().minusSeconds(3600);
        return sign(claims(clientId).issuedAt(past.minusSeconds(600)).expiresAt(past), KEY);
    }

    /** Not expired, but issued longer ago than any service accepts. */
    public static String issuedLongAgo(String clientId) {
        Instant now = Instant.now();
        return sign(claims(clientId).issuedAt(now.minusSeconds(6 * 3600)).expiresAt(now.plusSeconds(300)), KEY);
    }

    /** Fresh, but valid for longer than any service accepts. */
    public static String livesTooLong(String clientId) {
        Instant now = Instant.now();
        return sign(claims(clientId).issuedAt(now).expiresAt(now.plusSeconds(24 * 3600)), KEY);
    }

    public static String wrongIssuer(String clientId) {
        return sign(claims(clientId).issuer("someone-else"), KEY);
    }

    public static String wrongAudience(String clientId) {
        return sign(claims(clientId).audience("another-api"), KEY);
    }

    public static String withoutAudience(String clientId) {
        return sign(claims(clientId).remove("aud"), KEY);
    }

    /** Well-formed, but signed by a key the service does not trust. */
    public static String foreignSignature(String clientId) {
        return sign(claims(clientId), STRANGER);
    }

    public static String withoutSubject() {
        return sign(claims(null).claim("scope", "none"), KEY);
    }

    /** Signed correctly, but with no {@code exp} (the token builder always adds one, so this is built by hand). */
    public static String withoutExpiry(String clientId) {
        return rs256(header("RS256", KEY.kid()), payload(clientId, false), KEY.pair().getPrivate());
    }

    /** {@code alg: none}, no signature. */
    public static String algNone(String clientId) {
        return B64URL.encodeToString(header("none", KEY.kid()).getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload(clientId, true).getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /**
     * The classic algorithm confusion: HS256 with the trusted RSA public key (its X.509 PEM text) as the HMAC secret,
     * which a verifier that lets the token pick the algorithm would accept.
     */
    public static String hs256WithPublicKey(String clientId) {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(KEY.publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String input = B64URL.encodeToString(header("HS256", KEY.kid()).getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload(clientId, true).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String clientId) {
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).audience(AUDIENCE).issuedAt(Instant.now()).expiresIn(600);
        return clientId == null ? b : b.subject(clientId);
    }

    private static String sign(JwtClaimsBuilder claims, SigningKey key) {
        return claims.jws().keyId(key.kid()).sign(key.pair().getPrivate());
    }

    private static String header(String alg, String kid) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
    }

    private static String payload(String clientId, boolean withExpiry) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + clientId + "\",\"iat\":" + now
                + (withExpiry ? ",\"exp\":" + (now + 600) : "") + "}";
    }

    private static String rs256(String header, String payload, PrivateKey key) {
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64URL.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
