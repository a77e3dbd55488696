package io.payout.sandbox;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fault script and the seeded dice it is played with (SPEC §8). {@link BankResource} and {@link WebhookSender}
 * ask for a {@link FaultDecision} at each decision point and count what they actually apply with {@link #fired}.
 *
 * <p>Reproducibility: installing a script seeds one root {@link SplittableRandom} with its seed and splits it, in a
 * fixed order, into one stream per {@link FaultKind.Point}. A decision draws exactly one number per rule that can
 * strike at its point, in script order, whether or not an earlier rule already fired, so the n-th decision at a
 * point always sees the same numbers: the same script and the same sequence of requests give the same faults.
 * Separate streams keep webhook timers (which fire when they fire) from shifting the faults of requests, and
 * inquiries from shifting those of transfers. Draws are synchronized: concurrent requests are ordered, never
 * share a number.
 */
@ApplicationScoped
public class Faults {
    private final SandboxConfig config;
    private final MeterRegistry registry;
    private final FaultCounters counters = new FaultCounters();

    /** Guarded by {@code this}, with the streams: a script and its dice change together. */
    private FaultScript script;
    private Map<FaultKind.Point, SplittableRandom> streams;

    /** What {@code GET /sandbox/faults} shows: the installed script and the firing counts, by fault name. */
    public record View(long seed, List<FaultRule> rules, Map<String, Long> fired) {
    }

    public Faults(SandboxConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        // a bad default must stop start-up, not surface as a hung test hours later
        requireWithin("payout.sandbox.timeout-fault-ms", config.timeoutFaultMs(), 0, FaultKind.MAX_MS);
        requireWithin("payout.sandbox.webhook-reorder-hold-ms", config.webhookReorderHoldMs(), 1, FaultKind.MAX_MS);
        requireWithin("payout.sandbox.webhook-contradict-delay-ms", config.webhookContradictDelayMs(), 0,
                FaultKind.MAX_MS);
        requireWithin("payout.sandbox.fault-retry-after-seconds", config.faultRetryAfterSeconds(),
                FaultKind.ERROR_429.min(), FaultKind.ERROR_429.max());
        install(FaultScript.none(config.seed()));
    }

    private static void requireWithin(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalStateException(name + " must be from " + min + " to " + max + ", is " + value);
        }
    }

    /** Replaces the script and restarts the dice from its seed. The counters carry on (see {@link FaultCounters}). */
    public synchronized void replace(FaultScript newScript) {
        install(newScript);
    }

    /** No faults from now on, the dice back at the configured seed, every counter at zero. */
    public synchronized void clear() {
        install(FaultScript.none(config.seed()));
        counters.reset();
    }

    public synchronized View view() {
        return new View(script.seed(), script.rules(), counters.snapshot());
    }

    /** Counts one application of {@code kind}: call it exactly where the fault takes effect, once. */
    public void fired(FaultKind kind) {
        counters.increment(kind);
        registry.counter("sandbox_faults_fired", "fault", kind.wireName()).increment();
    }

    /** The faults for one request to {@code POST /v2/transfers}. */
    public FaultDecision forTransfer() {
        return decide(FaultKind.Point.TRANSFER);
    }

    /** The faults for one request to {@code GET /v2/transfers/{id}}. */
    public FaultDecision forInquiry() {
        return decide(FaultKind.Point.INQUIRY);
    }

    /** The faults for the webhook of one final result. */
    public FaultDecision forWebhook() {
        return decide(FaultKind.Point.WEBHOOK);
    }

    synchronized FaultDecision decide(FaultKind.Point point) {
        if (script.rules().isEmpty()) {
            return FaultDecision.NONE;
        }
        SplittableRandom dice = streams.get(point);
        Map<FaultKind.Group, FaultDecision.Fired> won = new EnumMap<>(FaultKind.Group.class);
        for (FaultRule rule : script.rules()) {
            if (!rule.fault().strikesAt(point)) {
                continue;
            }
            // always draw, even when the group is already taken: the number of draws per decision depends on the
            // script alone, never on earlier outcomes. nextDouble() is in [0, 1): p=0 never fires, p=1 always does.
            boolean fires = dice.nextDouble() < rule.probability();
            if (fires && !won.containsKey(rule.fault().group())) {
                won.put(rule.fault().group(), new FaultDecision.Fired(rule.fault(), valueOf(rule)));
            }
        }
        return won.isEmpty() ? FaultDecision.NONE : new FaultDecision(won);
    }

    private long valueOf(FaultRule rule) {
        if (rule.value() != null) {
            return rule.value();
        }
        return switch (rule.fault()) {
            case TIMEOUT -> config.timeoutFaultMs();
            case ERROR_429 -> config.faultRetryAfterSeconds();
            case WEBHOOK_REORDER -> config.webhookReorderHoldMs();
            case WEBHOOK_CONTRADICT -> config.webhookContradictDelayMs();
            default -> 0;
        };
    }

    private void install(FaultScript newScript) {
        SplittableRandom root = new SplittableRandom(newScript.seed());
        Map<FaultKind.Point, SplittableRandom> fresh = new EnumMap<>(FaultKind.Point.class);
        for (FaultKind.Point point : FaultKind.Point.values()) {
            fresh.put(point, root.split());
        }
        this.script = newScript;
        this.streams = fresh;
    }
}
