package io.payout.platform.health;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against the real local broker: UP when it answers, DOWN when nothing listens. */
class BrokerReadinessTest {

    @Test
    void upWhenTheBrokerAnswers() {
        var check = new BrokerReadiness("127.0.0.1", 5672, "guest", "guest", "/", 2000);
        try {
            assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());
        } finally {
            check.close();
        }
    }

    @Test
    void downWhenNothingListens() {
        var check = new BrokerReadiness("127.0.0.1", 1, "guest", "guest", "/", 500);
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
    }
}
