package io.payout.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A failpoint for crash tests: when armed, the relay "dies" after the broker confirmed a batch and before the rows
 * are marked published (its transaction rolls back, exactly as a killed process's would). Inert unless armed.
 */
@ApplicationScoped
public class RelayFailpoint {
    private final AtomicInteger crashesAfterPublish = new AtomicInteger();

    public void crashAfterPublish(int times) {
        crashesAfterPublish.set(times);
    }

    boolean shouldCrashAfterPublish() {
        return crashesAfterPublish.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Thrown by the relay when the failpoint fires. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated relay crash between publish and mark-published", null, false, false);
        }
    }
}
