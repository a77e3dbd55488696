package io.payout.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;

/** An RS256 key pair with the {@code kid} its tokens carry and {@link JwksServer} publishes it under. */
public record SigningKey(String kid, KeyPair pair) {

    /** A fresh RSA 2048 key pair (generated per JVM: no private key is ever committed for tests). */
    public static SigningKey generate(String kid) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return new SigningKey(kid, g.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) pair.getPublic();
    }
}
