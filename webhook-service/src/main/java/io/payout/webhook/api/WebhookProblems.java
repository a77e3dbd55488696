package io.payout.webhook.api;

import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.payout.webhook.verify.SignatureRejected;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The webhook endpoint's own problem types. Every failed origin check is a 401 with a code per check
 * ({@code WEBHOOK_SIGNATURE_MISSING}, {@code WEBHOOK_TIMESTAMP_INVALID}, {@code WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE},
 * {@code WEBHOOK_SIGNATURE_INVALID}); bodies use the platform's {@code MALFORMED_JSON}, {@code VALIDATION_FAILED}
 * and {@code PAYLOAD_TOO_LARGE}.
 */
public final class WebhookProblems {
    private WebhookProblems() {
    }

    public static ProblemException unauthenticated(SignatureRejected e) {
        String name = e.reason().name();
        return ProblemException.of(401, "webhook-" + name.toLowerCase(Locale.ROOT).replace('_', '-'),
                "WEBHOOK_" + name, title(e.reason()), e.getMessage());
    }

    private static String title(SignatureRejected.Reason reason) {
        return switch (reason) {
            case SIGNATURE_MISSING -> "Webhook signature headers missing";
            case TIMESTAMP_INVALID -> "Webhook timestamp invalid";
            case TIMESTAMP_OUT_OF_TOLERANCE -> "Webhook timestamp out of tolerance";
            case SIGNATURE_INVALID -> "Webhook signature invalid";
        };
    }

    /** Every code this endpoint can refuse with: the rejection counter's tag values. */
    public static List<String> codes() {
        return Stream.concat(
                        Stream.of(SignatureRejected.Reason.values()).map(r -> "WEBHOOK_" + r.name()),
                        Stream.of(ProblemType.PAYLOAD_TOO_LARGE, ProblemType.MALFORMED_JSON,
                                ProblemType.VALIDATION_FAILED).map(ProblemType::code))
                .toList();
    }
}
