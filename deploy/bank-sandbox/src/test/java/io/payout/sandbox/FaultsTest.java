package io.payout.sandbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seeded dice, without HTTP: probabilities, reproducibility, rule order, groups, counters. */
class FaultsTest {
    private static final int DRAWS = 200;

    @Test
    void probabilityZeroNeverFiresAndOneAlwaysFires() {
        Faults faults = faults();
        faults.replace(script(1, new FaultRule(FaultKind.ERROR_5XX, 0.0, null)));
        assertThat(firings(faults, FaultKind.ERROR_5XX)).isZero();

        faults.replace(script(1, new FaultRule(FaultKind.ERROR_5XX, 1.0, null)));
        assertThat(firings(faults, FaultKind.ERROR_5XX)).isEqualTo(DRAWS);
    }

    @Test
    void probabilityOneHalfFiresAboutHalfTheTime() {
        Faults faults = faults();
        for (long seed : new long[]{1, 7, 42}) {
            faults.replace(script(seed, new FaultRule(FaultKind.ERROR_5XX, 0.5, null)));
            assertThat(firings(faults, FaultKind.ERROR_5XX)).as("seed %d", seed).isBetween(60, 140);
        }
    }

    @Test
    void theSameSeedReplaysTheSameFaultsAndAnotherSeedDoesNot() {
        FaultScript script = script(7, new FaultRule(FaultKind.LATENCY_MS, 0.3, 5L),
                new FaultRule(FaultKind.ERROR_5XX, 0.2, null), new FaultRule(FaultKind.TIMEOUT, 0.2, 50L),
                new FaultRule(FaultKind.WEBHOOK_DROP, 0.5, null));
        Faults a = faults();
        Faults b = faults();
        a.replace(script);
        b.replace(script);
        List<FaultDecision> first = run(a);
        assertThat(run(b)).isEqualTo(first);
        a.replace(script); // re-installing the script restarts its dice
        assertThat(run(a)).isEqualTo(first);

        a.replace(new FaultScript(8, script.rules()));
        assertThat(run(a)).isNotEqualTo(first);
    }

    @Test
    void eachPointHasItsOwnStreamSoWebhooksAndInquiriesDoNotShiftTransfers() {
        FaultScript script = script(7, new FaultRule(FaultKind.ERROR_5XX, 0.5, null),
                new FaultRule(FaultKind.WEBHOOK_DROP, 0.5, null));
        Faults quiet = faults();
        Faults busy = faults();
        quiet.replace(script);
        busy.replace(script);
        List<FaultDecision> undisturbed = new ArrayList<>();
        List<FaultDecision> interleaved = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            undisturbed.add(quiet.forTransfer());
            busy.forWebhook();
            busy.forInquiry();
            interleaved.add(busy.forTransfer());
        }
        assertThat(interleaved).isEqualTo(undisturbed);
    }

    @Test
    void withinAGroupTheFirstRuleThatFiresWinsAndOtherGroupsCombine() {
        Faults faults = faults();
        faults.replace(script(3, new FaultRule(FaultKind.LATENCY_MS, 1.0, 20L),
                new FaultRule(FaultKind.ERROR_429, 1.0, null), new FaultRule(FaultKind.ERROR_5XX, 1.0, null),
                new FaultRule(FaultKind.IGNORE_DUPLICATE_REF, 1.0, null),
                new FaultRule(FaultKind.WEBHOOK_DELAY_MS, 1.0, 30L)));
        FaultDecision d = faults.forTransfer();
        assertThat(d.byGroup().values()).containsExactlyInAnyOrder(
                new FaultDecision.Fired(FaultKind.LATENCY_MS, 20),
                new FaultDecision.Fired(FaultKind.ERROR_429, 1), // the configured default Retry-After
                new FaultDecision.Fired(FaultKind.IGNORE_DUPLICATE_REF, 0));
        // the inquiry sees only the faults that can strike it; the webhook only its own
        assertThat(faults.forInquiry().byGroup().values()).containsExactlyInAnyOrder(
                new FaultDecision.Fired(FaultKind.LATENCY_MS, 20), new FaultDecision.Fired(FaultKind.ERROR_429, 1));
        assertThat(faults.forWebhook().byGroup().values())
                .containsExactly(new FaultDecision.Fired(FaultKind.WEBHOOK_DELAY_MS, 30));
    }

    @Test
    void missingValuesTakeTheConfiguredDefaults() {
        Faults faults = faults();
        faults.replace(script(1, new FaultRule(FaultKind.TIMEOUT, 1.0, null),
                new FaultRule(FaultKind.WEBHOOK_REORDER, 1.0, null),
                new FaultRule(FaultKind.WEBHOOK_CONTRADICT, 1.0, null)));
        assertThat(faults.forTransfer().valueOf(FaultKind.TIMEOUT)).isEqualTo(10_000);
        FaultDecision webhook = faults.forWebhook();
        assertThat(webhook.valueOf(FaultKind.WEBHOOK_REORDER)).isEqualTo(2_000);
        assertThat(webhook.valueOf(FaultKind.WEBHOOK_CONTRADICT)).isEqualTo(300);
    }

    @Test
    void countersSurviveAReplacementAndAClearZeroesThem() {
        Faults faults = faults();
        faults.replace(script(1, new FaultRule(FaultKind.TIMEOUT, 1.0, null)));
        faults.fired(FaultKind.TIMEOUT);
        faults.fired(FaultKind.TIMEOUT);
        faults.replace(script(2, new FaultRule(FaultKind.ERROR_5XX, 1.0, null)));
        faults.fired(FaultKind.ERROR_5XX);
        Faults.View view = faults.view();
        assertThat(view.seed()).isEqualTo(2);
        assertThat(view.fired()).containsEntry("timeout", 2L).containsEntry("error_5xx", 1L)
                .containsEntry("webhook_drop", 0L).hasSize(FaultKind.values().length);

        faults.clear();
        assertThat(faults.view().rules()).isEmpty();
        assertThat(faults.view().seed()).isEqualTo(7);
        assertThat(faults.view().fired().values()).containsOnly(0L);
        assertThat(faults.forTransfer()).isEqualTo(FaultDecision.NONE);
    }

    @Test
    void anUnboundedConfiguredDefaultStopsStartUp() {
        assertThatThrownBy(() -> new Faults(new Config(120_001), new SimpleMeterRegistry()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("timeout-fault-ms");
    }

    // --- helpers ---

    private static int firings(Faults faults, FaultKind kind) {
        return (int) IntStream.range(0, DRAWS).filter(i -> faults.forTransfer().has(kind)).count();
    }

    private static List<FaultDecision> run(Faults faults) {
        List<FaultDecision> out = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            out.add(faults.forTransfer());
            out.add(faults.forWebhook());
        }
        return out;
    }

    private static FaultScript script(long seed, FaultRule... rules) {
        return new FaultScript(seed, List.of(rules));
    }

    private static Faults faults() {
        return new Faults(new Config(10_000), new SimpleMeterRegistry());
    }

    /** The configuration defaults, with the timeout default adjustable. */
    private record Config(long timeoutFaultMs) implements SandboxConfig {
        public long seed() { return 7; }
        public long settleDelayMs() { return 150; }
        public URI webhookUrl() { return URI.create("http://localhost:1/hooks"); }
        public String webhookSecret() { return "whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtMzJieXRlcyE="; }
        public int webhookRetriesMax() { return 3; }
        public long webhookBackoffMs() { return 200; }
        public long webhookTimeoutMs() { return 2000; }
        public long faultRetryAfterSeconds() { return 1; }
        public long webhookReorderHoldMs() { return 2000; }
        public long webhookContradictDelayMs() { return 300; }
        public int statementPageSize() { return 1000; }
        public int statementPageSizeMax() { return 5000; }
        public ZoneId zone() { return ZoneId.of("Asia/Seoul"); }
    }
}
