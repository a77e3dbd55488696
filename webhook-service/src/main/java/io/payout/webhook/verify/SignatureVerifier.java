package io.payout.webhook.verify;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.payout.webhook.config.WebhookConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Establishes that a webhook comes from the bank (SPEC §6): a Standard Webhooks {@code v1} signature, an HMAC-SHA256
 * of {@code "<webhook-id>.<webhook-timestamp>.<body>"}, made with one of the configured secrets over the exact body
 * we received, signed within the tolerance of our clock.
 * <p>
 * The HMAC itself and its constant-time comparison are the library's ({@link Webhook#verify}); we run our own
 * checks first only to say precisely <em>which</em> check failed and to make the tolerance explicit. The library
 * applies a fixed 5-minute tolerance of its own on top (against the system clock), which is why
 * {@code payout.webhook.tolerance-ms} may tighten it but never widen it.
 * <p>
 * The id is part of what is signed, so a webhook without {@code webhook-id} cannot be verified and is refused: we
 * never fall back to an unsigned or self-chosen id here (see {@code EventIds} for the hash a bank-specific adapter
 * without ids would use).
 */
@Singleton
@Startup // a bad secret or tolerance must stop the service at start-up, not fail the first webhook
public class SignatureVerifier {
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    /** Whole seconds since the epoch; 18 digits keep the arithmetic below free of overflow. */
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,18}");

    private final List<Webhook> verifiers;
    private final long toleranceMs;
    private final Clock clock;

    @Inject
    public SignatureVerifier(WebhookConfig config) {
        this(config.secrets(), config.toleranceMs(), Clock.systemUTC());
    }

    public SignatureVerifier(List<String> secrets, long toleranceMs, Clock clock) {
        if (toleranceMs <= 0 || toleranceMs > WebhookConfig.LIBRARY_TOLERANCE_MS) {
            throw new IllegalArgumentException("payout.webhook.tolerance-ms must be in 1.."
                    + WebhookConfig.LIBRARY_TOLERANCE_MS + " (the library's own tolerance), not " + toleranceMs);
        }
        this.verifiers = SigningSecrets.parse(secrets);
        this.toleranceMs = toleranceMs;
        this.clock = clock;
    }

    /**
     * @param id        the {@code webhook-id} header, or null
     * @param timestamp the {@code webhook-timestamp} header, or null
     * @param signature the {@code webhook-signature} header (a space-separated list of {@code v1,<base64>}), or null
     * @param body      the request body exactly as received, decoded as UTF-8
     */
    public VerifiedWebhook verify(String id, String timestamp, String signature, String body)
            throws SignatureRejected {
        List<String> missing = new ArrayList<>(3);
        if (isBlank(id)) {
            missing.add(ID_HEADER);
        }
        if (isBlank(timestamp)) {
            missing.add(TIMESTAMP_HEADER);
        }
        if (isBlank(signature)) {
            missing.add(SIGNATURE_HEADER);
        }
        if (!missing.isEmpty()) {
            throw new SignatureRejected(SignatureRejected.Reason.SIGNATURE_MISSING,
                    "Missing Standard Webhooks header(s): " + String.join(", ", missing)
                            + "; the signature covers webhook-id, webhook-timestamp and the body");
        }
        Instant signedAt = checkTimestamp(timestamp);

        Map<String, List<String>> headers = Map.of(
                ID_HEADER, List.of(id),
                TIMESTAMP_HEADER, List.of(timestamp),
                SIGNATURE_HEADER, List.of(signature));
        // every secret is tried, even after a match, so the time taken does not tell which one is current
        boolean matched = false;
        boolean libraryTimestampRefusal = false;
        for (Webhook verifier : verifiers) {
            try {
                verifier.verify(body, headers);
                matched = true;
            } catch (WebhookVerificationException e) {
                // we checked the window an instant ago; the library checks again with its own clock reading
                libraryTimestampRefusal |= e.getMessage() != null && e.getMessage().startsWith("Message timestamp");
            }
        }
        if (matched) {
            return new VerifiedWebhook(id, signedAt);
        }
        if (libraryTimestampRefusal) {
            throw outOfTolerance(timestamp);
        }
        throw new SignatureRejected(SignatureRejected.Reason.SIGNATURE_INVALID,
                "No v1 signature in webhook-signature matches the webhook-id, webhook-timestamp and body received "
                        + "under any of our current secrets");
    }

    private Instant checkTimestamp(String timestamp) throws SignatureRejected {
        if (!SECONDS.matcher(timestamp).matches()) {
            throw new SignatureRejected(SignatureRejected.Reason.TIMESTAMP_INVALID,
                    "webhook-timestamp must be whole seconds since the Unix epoch");
        }
        long seconds = Long.parseLong(timestamp);
        long nowMs = clock.millis();
        // 18 digits of seconds times 1000 can overflow: anything that large is far outside any window anyway
        long skewMs;
        try {
            skewMs = Math.abs(Math.subtractExact(Math.multiplyExact(seconds, 1000L), nowMs));
        } catch (ArithmeticException e) {
            throw outOfTolerance(timestamp);
        }
        if (skewMs > toleranceMs) {
            throw outOfTolerance(timestamp);
        }
        return Instant.ofEpochSecond(seconds);
    }

    private SignatureRejected outOfTolerance(String timestamp) {
        return new SignatureRejected(SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                "webhook-timestamp " + timestamp + " is more than " + toleranceMs / 1000
                        + " s away from our clock (" + clock.instant().getEpochSecond() + "); "
                        + "a webhook is only accepted shortly after it was signed");
    }

    public int secretCount() {
        return verifiers.size();
    }

    public long toleranceMs() {
        return toleranceMs;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
