package io.payout.bankadapter.config;

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
    }
}
