package io.payout.webhook.verify;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The origin checks without HTTP: which header set, signature, secret and timestamp pass, and which reason each
 * refusal carries. The library reads the system clock, so the tests sign relative to the real "now".
 */
class SignatureVerifierTest {
    static final String OLD = secret("old-secret-still-accepted-32byte");
    static final String NEW = secret("new-secret-being-rolled-out-32by");
    static final String BODY = "{\"type\":\"transfer.result\",\"data\":{\"bank_tran_id\":\"T1\",\"status\":\"FAILED\"}}";

    private final SignatureVerifier verifier = new SignatureVerifier(List.of(OLD, NEW), 300_000, Clock.systemUTC());

    @Test
    void signatureWithEitherCurrentSecretIsAccepted() throws Exception {
        long now = now();
        for (String secret : List.of(OLD, NEW)) {
            VerifiedWebhook v = verifier.verify("msg_1", Long.toString(now), sign(secret, "msg_1", now, BODY), BODY);
            assertThat(v.webhookId()).isEqualTo("msg_1");
            assertThat(v.signedAt()).isEqualTo(Instant.ofEpochSecond(now));
        }
    }

    @Test
    void anyMatchingEntryOfASpaceSeparatedListIsEnough() throws Exception {
        long now = now();
        String header = "v1,AAAA" + " v2,whatever " + sign(secret("some-other-key-the-bank-also-has"), "m", now, BODY)
                + " " + sign(NEW, "m", now, BODY);
        verifier.verify("m", Long.toString(now), header, BODY);
    }

    @Test
    void wrongSecretIsRefused() {
        long now = now();
        String signature = sign(secret("a-secret-we-never-configured-32b"), "m", now, BODY);
        assertRefused(() -> verifier.verify("m", Long.toString(now), signature, BODY),
                SignatureRejected.Reason.SIGNATURE_INVALID);
    }

    @Test
    void anyChangeToWhatWasSignedIsRefused() {
        long now = now();
        String signature = sign(OLD, "m", now, BODY);
        assertRefused(() -> verifier.verify("m", Long.toString(now), signature, BODY.replace("FAILED", "SUCCEEDED")),
                SignatureRejected.Reason.SIGNATURE_INVALID);
        assertRefused(() -> verifier.verify("m", Long.toString(now), signature, BODY + " "),
                SignatureRejected.Reason.SIGNATURE_INVALID);
        assertRefused(() -> verifier.verify("other-id", Long.toString(now), signature, BODY),
                SignatureRejected.Reason.SIGNATURE_INVALID);
        assertRefused(() -> verifier.verify("m", Long.toString(now - 1), signature, BODY),
                SignatureRejected.Reason.SIGNATURE_INVALID);
        assertRefused(() -> verifier.verify("m", Long.toString(now), signature.replace("v1,", "v2,"), BODY),
                SignatureRejected.Reason.SIGNATURE_INVALID);
    }

    @Test
    void missingHeadersAreRefusedNamingThem() {
        long now = now();
        String ts = Long.toString(now);
        String sig = sign(OLD, "m", now, BODY);
        assertThat(assertRefused(() -> verifier.verify(null, ts, sig, BODY), SignatureRejected.Reason.SIGNATURE_MISSING)
                .getMessage()).startsWith("Missing Standard Webhooks header(s): webhook-id;");
        // an empty id would be signed as ".<ts>.<body>": no id, no dedupe key, so it is missing, not "verifiable"
        assertRefused(() -> verifier.verify("", ts, sign(OLD, "", now, BODY), BODY),
                SignatureRejected.Reason.SIGNATURE_MISSING);
        assertRefused(() -> verifier.verify("m", null, sig, BODY), SignatureRejected.Reason.SIGNATURE_MISSING);
        assertThat(assertRefused(() -> verifier.verify("m", ts, " ", BODY), SignatureRejected.Reason.SIGNATURE_MISSING)
                .getMessage()).contains("webhook-signature");
    }

    @ParameterizedTest(name = "timestamp \"{0}\"")
    @ValueSource(strings = {"abc", "-1", "+1700000000", "1700000000.5", " 1700000000", "1234567890123456789"})
    void timestampThatIsNotWholeSecondsIsRefused(String timestamp) {
        assertRefused(() -> verifier.verify("m", timestamp, "v1,AAAA", BODY), SignatureRejected.Reason.TIMESTAMP_INVALID);
    }

    @ParameterizedTest(name = "{0} s away")
    @ValueSource(longs = {-301, -3600, 301, 86_400, -1_700_000_000L})
    void timestampOutsideFiveMinutesIsRefusedEvenWhenSignedCorrectly(long offsetSeconds) {
        long ts = now() + offsetSeconds;
        assertRefused(() -> verifier.verify("m", Long.toString(ts), sign(OLD, "m", ts, BODY), BODY),
                SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void millisecondsInsteadOfSecondsAreOutOfTolerance() {
        long ms = System.currentTimeMillis();
        assertRefused(() -> verifier.verify("m", Long.toString(ms), sign(OLD, "m", ms, BODY), BODY),
                SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        assertRefused(() -> verifier.verify("m", "999999999999999999", "v1,AAAA", BODY),
                SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @ParameterizedTest(name = "{0} s away")
    @ValueSource(longs = {-290, -60, 0, 60, 290})
    void timestampWithinFiveMinutesIsAccepted(long offsetSeconds) throws Exception {
        long ts = now() + offsetSeconds;
        verifier.verify("m", Long.toString(ts), sign(NEW, "m", ts, BODY), BODY);
    }

    @Test
    void aTighterConfiguredToleranceIsApplied() throws Exception {
        SignatureVerifier tight = new SignatureVerifier(List.of(OLD), 60_000, Clock.systemUTC());
        long ts = now() - 120;
        assertRefused(() -> tight.verify("m", Long.toString(ts), sign(OLD, "m", ts, BODY), BODY),
                SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        long fresh = now() - 30;
        tight.verify("m", Long.toString(fresh), sign(OLD, "m", fresh, BODY), BODY);
    }

    @Test
    void ourClockDecidesTheWindow() {
        // a clock ten minutes ahead of the signer: refused by our check (the library alone would have accepted it)
        SignatureVerifier skewed = new SignatureVerifier(List.of(OLD), 300_000,
                Clock.offset(Clock.systemUTC(), java.time.Duration.ofMinutes(10)));
        long ts = now();
        assertRefused(() -> skewed.verify("m", Long.toString(ts), sign(OLD, "m", ts, BODY), BODY),
                SignatureRejected.Reason.TIMESTAMP_OUT_OF_TOLERANCE);
    }

    @Test
    void aToleranceWiderThanTheLibrarysIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new SignatureVerifier(List.of(OLD), 300_001, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance-ms");
        assertThatThrownBy(() -> new SignatureVerifier(List.of(OLD), 0, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badSecretsAreRefusedAtStartUpWithoutEchoingThem() {
        String raw = Base64.getEncoder().encodeToString("raw-key-without-the-whsec-prefix".getBytes());
        assertThatThrownBy(() -> SigningSecrets.parse(List.of(OLD, raw)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payout.webhook.secrets[1]").hasMessageNotContaining(raw);
        assertThatThrownBy(() -> SigningSecrets.parse(List.of("whsec_not*base64")))
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> SigningSecrets.parse(List.of(secret("too-short"))))
                .hasMessageContaining("24-64");
        assertThatThrownBy(() -> SigningSecrets.parse(List.of())).hasMessageContaining("at least one");
        assertThat(SigningSecrets.parse(List.of(SigningSecrets.DEV_ONLY_SECRET))).hasSize(1);
    }

    static String secret(String key) {
        return SigningSecrets.PREFIX + Base64.getEncoder().encodeToString(key.getBytes());
    }

    static String sign(String secret, String id, long timestamp, String body) {
        try {
            return new Webhook(secret).sign(id, timestamp, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private interface Call {
        void run() throws Exception;
    }

    private static SignatureRejected assertRefused(Call call, SignatureRejected.Reason reason) {
        try {
            call.run();
        } catch (SignatureRejected e) {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            return e;
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
        throw new AssertionError("accepted, expected " + reason);
    }
}
