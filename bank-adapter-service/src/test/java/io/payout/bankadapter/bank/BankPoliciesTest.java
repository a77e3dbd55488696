package io.payout.bankadapter.bank;

import io.payout.bankadapter.bank.BankUnavailable.Kind;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the guard retries and what its breaker counts as the bank failing (no Quarkus needed). */
class BankPoliciesTest {

    @Test
    void aTransferIsRetriedOnlyWhenItGotNoAnswer() {
        for (Kind k : new Kind[]{Kind.TIMEOUT, Kind.CONNECTION, Kind.HTTP_5XX, Kind.HTTP_429}) {
            assertThat(BankClient.worthRetrying(new BankUnavailable(k, "x"))).as(k.name()).isTrue();
        }
        // the bank answered, unreadably: the same request would most likely get the same answer
        assertThat(BankClient.worthRetrying(new BankUnavailable(Kind.UNREADABLE, "x"))).isFalse();
        assertThat(BankClient.worthRetrying(new BankUnavailable(Kind.HTTP_OTHER, "x"))).isFalse();
        assertThat(BankClient.worthRetrying(new TimeoutException("guard timeout"))).isTrue();
    }

    @Test
    void aReadIsRetriedOnAnyFailure() {
        assertThat(BankClient.worthRetrying(new BankUnavailable(Kind.UNREADABLE, "x").asRetryable())).isTrue();
        assertThat(BankClient.worthRetrying(new BankUnavailable(Kind.HTTP_OTHER, "x").asRetryable())).isTrue();
    }

    @Test
    void refusalsAreNeverRetriedNorCountedAgainstTheBank() {
        assertThat(BankClient.worthRetrying(new CircuitBreakerOpenException())).isFalse();
        assertThat(BankClient.worthRetrying(new BulkheadException())).isFalse();
        assertThat(BankClient.isBankFailure(new BulkheadException())).isFalse();
        assertThat(BankClient.isBankFailure(new IllegalArgumentException("our bug"))).isFalse();
        assertThat(BankClient.isBankFailure(new BankUnavailable(Kind.UNREADABLE, "x"))).isTrue();
        assertThat(BankClient.isBankFailure(new TimeoutException("guard timeout"))).isTrue();
    }
}
