package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every fault the sandbox bank can be scripted to commit (SPEC §8, plus three garbage answers of our own), where it
 * can strike, and what its {@code value} means. The wire name ({@code "timeout"}, {@code "webhook_drop"}, …) is what
 * a script and the {@code fired} counters use.
 */
public enum FaultKind {
    /** value (required): ms the bank sits on the request before it even looks at it; then it answers normally. */
    LATENCY_MS("latency_ms", Group.LATENCY, Value.REQUIRED, 0, FaultKind.MAX_MS, Point.TRANSFER, Point.INQUIRY),
    /** value (optional, default {@code payout.sandbox.timeout-fault-ms}): execute now, answer only after value ms. */
    TIMEOUT("timeout", Group.ANSWER, Value.OPTIONAL, 0, FaultKind.MAX_MS, Point.TRANSFER, Point.INQUIRY),
    /** 503 before the bank looks at the request: nothing executes. */
    ERROR_5XX("error_5xx", Group.ANSWER, Value.NONE, 0, 0, Point.TRANSFER, Point.INQUIRY),
    /** value (optional, default {@code payout.sandbox.fault-retry-after-seconds}): 429 with that Retry-After; nothing executes. */
    ERROR_429("error_429", Group.ANSWER, Value.OPTIONAL, 0, 120, Point.TRANSFER, Point.INQUIRY),
    /** Execute, then close the connection without a response: "the bank paid, we never heard". */
    DROP_RESPONSE_AFTER_COMMIT("drop_response_after_commit", Group.ANSWER, Value.NONE, 0, 0, Point.TRANSFER),
    /** Extension beyond SPEC §8: execute, then answer 200 with a body that is not JSON (a truncated answer). */
    MALFORMED_JSON("malformed_json", Group.ANSWER, Value.NONE, 0, 0, Point.TRANSFER, Point.INQUIRY),
    /** Extension beyond SPEC §8: execute, then answer 200 with valid JSON carrying an unknown code and status. */
    UNEXPECTED_STATUS("unexpected_status", Group.ANSWER, Value.NONE, 0, 0, Point.TRANSFER),
    /** Extension beyond SPEC §8: execute, then answer 200 with an empty body. */
    EMPTY_BODY("empty_body", Group.ANSWER, Value.NONE, 0, 0, Point.TRANSFER, Point.INQUIRY),
    /** A buggy bank: a repeat of an executed bank_tran_id withdraws again and answers as a fresh ACCEPTED. */
    IGNORE_DUPLICATE_REF("ignore_duplicate_ref", Group.DUPLICATES, Value.NONE, 0, 0, Point.TRANSFER),
    /** value (required): ms before the result's webhook goes out. */
    WEBHOOK_DELAY_MS("webhook_delay_ms", Group.WEBHOOK_DELAY, Value.REQUIRED, 0, FaultKind.MAX_MS, Point.WEBHOOK),
    /** The result's webhook is never sent. */
    WEBHOOK_DROP("webhook_drop", Group.WEBHOOK_FATE, Value.NONE, 0, 0, Point.WEBHOOK),
    /** The result's webhook is sent twice, with the same webhook-id. */
    WEBHOOK_DUPLICATE("webhook_duplicate", Group.WEBHOOK_FATE, Value.NONE, 0, 0, Point.WEBHOOK),
    /**
     * value (optional, default {@code payout.sandbox.webhook-reorder-hold-ms}): the webhook is held until the next
     * result's webhook has been delivered, or at most value ms.
     */
    WEBHOOK_REORDER("webhook_reorder", Group.WEBHOOK_FATE, Value.OPTIONAL, 1, FaultKind.MAX_MS, Point.WEBHOOK),
    /**
     * value (optional, default {@code payout.sandbox.webhook-contradict-delay-ms}): value ms after the real webhook,
     * a second one with the opposite result and another webhook-id. The bank's own state does not change.
     */
    WEBHOOK_CONTRADICT("webhook_contradict", Group.WEBHOOK_CONTRADICTION, Value.OPTIONAL, 0, FaultKind.MAX_MS,
            Point.WEBHOOK);

    /** Upper bound of every millisecond value, scripted or configured: a fault must not hang a test run for long. */
    public static final long MAX_MS = 120_000;

    /** Where a decision is drawn: each point has its own seeded stream, so one point's traffic never shifts another's. */
    public enum Point { TRANSFER, INQUIRY, WEBHOOK }

    /**
     * Faults of one group exclude each other: per decision, the first rule of the group (in script order) that
     * fires is the one applied. Different groups combine (latency with a timeout, a delay with a duplicate, …).
     */
    public enum Group { LATENCY, ANSWER, DUPLICATES, WEBHOOK_DELAY, WEBHOOK_FATE, WEBHOOK_CONTRADICTION }

    /** Whether a rule of this fault carries a {@code value}. */
    public enum Value { NONE, OPTIONAL, REQUIRED }

    private final String wireName;
    private final Group group;
    private final Value value;
    private final long min;
    private final long max;
    private final Set<Point> points;

    FaultKind(String wireName, Group group, Value value, long min, long max, Point first, Point... rest) {
        this.wireName = wireName;
        this.group = group;
        this.value = value;
        this.min = min;
        this.max = max;
        this.points = EnumSet.of(first, rest);
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public Group group() {
        return group;
    }

    public Value value() {
        return value;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public boolean strikesAt(Point point) {
        return points.contains(point);
    }

    public static Optional<FaultKind> byWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", "));
    }
}
