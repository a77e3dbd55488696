package io.payout.bankadapter.config;

import io.payout.bankadapter.bank.BankClient;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The defaults a bank adapter starts with when nothing is configured (no Quarkus needed to read them). */
class BankConfigTest {

    @Test
    void defaults() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BankConfig.class).build();
        BankConfig bank = config.getConfigMapping(BankConfig.class);
        assertThat(bank.baseUrl()).isEqualTo(URI.create("http://localhost:8090"));
        assertThat(bank.institutionCode()).isEqualTo("T991234560");
        assertThat(bank.timeoutMs()).isEqualTo(2000);
        assertThat(bank.inFlightGraceMs()).isEqualTo(30_000);
        assertThat(bank.retriesMax()).isEqualTo(2);
        assertThat(bank.retryDelayMs()).isEqualTo(200);
        assertThat(bank.retryMaxDelayMs()).isEqualTo(2000);
        assertThat(bank.retryJitterMs()).isEqualTo(100);
        assertThat(bank.breakerFailureRatio()).isEqualTo(0.5);
        assertThat(bank.breakerRequestVolume()).isEqualTo(20);
        assertThat(bank.breakerDelayMs()).isEqualTo(5000);
        assertThat(bank.breakerSuccessThreshold()).isEqualTo(2);
        assertThat(bank.bulkheadMax()).isEqualTo(16);
        assertThat(bank.bulkheadQueue()).isEqualTo(1);
        assertThat(bank.waitDelayMs()).isEqualTo(5000);
        assertThat(bank.waitMaxDelayMs()).isEqualTo(60_000);
        assertThat(bank.waitPollIntervalMs()).isEqualTo(1000);
        assertThat(bank.waitBatchSize()).isEqualTo(20);
        assertThat(bank.waitConcurrency()).isEqualTo(4);
        // the grace an inquiry's NOT_FOUND waits must outlast the longest call with its retries (checked at start)
        assertThat(BankClient.worstCaseCallMs(bank)).isEqualTo(3 * 2000 + (200 + 100) + (400 + 100));
        assertThat(bank.inFlightGraceMs()).isGreaterThan(BankClient.worstCaseCallMs(bank));
    }
}
