package io.payout.webhook.verify;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns configured {@code whsec_<base64>} secrets into Standard Webhooks verifiers, refusing anything that would
 * silently weaken verification. Error messages name the secret's position, never its value.
 */
public final class SigningSecrets {
    public static final String PREFIX = "whsec_";
    /** Standard Webhooks: secrets are 24 to 64 random bytes. Shorter keys make the HMAC guessable. */
    public static final int KEY_BYTES_MIN = 24;
    public static final int KEY_BYTES_MAX = 64;
    /**
     * The development secret the local stack and the bank sandbox share. Public by definition: a deployment that
     * still accepts it accepts webhooks from anyone who has read this repository.
     */
    public static final String DEV_ONLY_SECRET = "whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtMzJieXRlcyE=";

    private SigningSecrets() {
    }

    /** One verifier per secret, in the configured order; throws {@link IllegalArgumentException} on a bad one. */
    public static List<Webhook> parse(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("payout.webhook.secrets: at least one signing secret is required");
        }
        List<Webhook> verifiers = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            verifiers.add(webhook(key(secrets.get(i), i), i));
        }
        return List.copyOf(verifiers);
    }

    private static Webhook webhook(byte[] key, int index) {
        try {
            return new Webhook(key);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException(where(index) + " is empty", e);
        }
    }

    static byte[] key(String secret, int index) {
        String s = secret == null ? "" : secret.strip();
        // the prefix is required, not optional as in the library: without it a raw key and a base64 key look alike
        if (!s.startsWith(PREFIX)) {
            throw new IllegalArgumentException(where(index) + " must have the form whsec_<base64>");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(s.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where(index) + " is not valid base64 after whsec_");
        }
        if (key.length < KEY_BYTES_MIN || key.length > KEY_BYTES_MAX) {
            throw new IllegalArgumentException(where(index) + " decodes to " + key.length + " bytes; "
                    + KEY_BYTES_MIN + "-" + KEY_BYTES_MAX + " are required");
        }
        return key;
    }

    private static String where(int index) {
        return "payout.webhook.secrets[" + index + "]";
    }
}
