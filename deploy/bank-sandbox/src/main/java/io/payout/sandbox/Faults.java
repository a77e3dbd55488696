package io.payout.sandbox;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Random;

/**
 * Where the bank can misbehave. There is no fault script yet (a later issue adds {@code PUT /sandbox/faults}); every
 * point answers "behave" today, and {@link SandboxBank} and {@link WebhookSender} already ask at the right moment,
 * so scripted faults only have to change the answers here (the buggy bank that ignores duplicate refs will hook into
 * {@link Executions#submit}, the one place that decides "executed already"). Decisions will come from one {@link Random} seeded by
 * {@code payout.sandbox.seed}, so the same seed replays the same faults.
 */
@ApplicationScoped
public class Faults {
    /** What to do to a {@code POST /v2/transfers} request before the bank looks at it. */
    public enum RequestFault {
        /** answer normally */
        NONE
        // later: LATENCY, TIMEOUT (answer after the client gave up), ERROR_5XX, ERROR_429
    }

    /** What to do to the answer after the order was recorded. */
    public enum AnswerFault {
        NONE
        // later: DROP_RESPONSE_AFTER_COMMIT (money left, the caller never hears)
    }

    private final Random random;

    public Faults(SandboxConfig config) {
        this.random = new Random(config.seed());
    }

    /** Checked first, before validation or recording: a fault here means the order never reached the book. */
    public RequestFault beforeRequest() {
        return RequestFault.NONE;
    }

    /** Checked after the book has the order: a fault here means money may have left without the caller knowing. */
    public AnswerFault afterRecording(String bankTranId) {
        return AnswerFault.NONE;
    }

    /** Extra delay before a result's webhook goes out (later: delay, reorder). */
    public long webhookDelayMs(String bankTranId) {
        return 0;
    }

    /** How many copies of a webhook to send: 0 drops it, 2 duplicates it (later: drop, duplicate). */
    public int webhookCopies(String bankTranId) {
        return 1;
    }

    /** The seeded source every scripted decision will draw from. */
    Random random() {
        return random;
    }
}
