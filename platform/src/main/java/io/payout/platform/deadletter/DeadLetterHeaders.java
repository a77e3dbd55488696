package io.payout.platform.deadletter;

import com.rabbitmq.client.LongString;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers a dead letter carries ({@code InboxConsumer} sets them when it gives up on a message), and the
 * conversion of AMQP header values into JSON-able ones for the {@code dead_letters.headers} column.
 */
public final class DeadLetterHeaders {
    /** A UUIDv7 chosen when the message is dead-lettered: the key of the kept row, so a DLQ redelivery is harmless. */
    public static final String ID = "x-payout-dead-letter-id";
    public static final String AT = "x-payout-dead-lettered-at";
    public static final String REASON = "x-payout-reason";
    public static final String QUEUE = "x-payout-queue";
    public static final String ATTEMPTS = "x-payout-attempts";
    public static final String ROUTING_KEY = "x-payout-routing-key";
    /** Set on a replayed message: the dead letter it replays (a replay that fails again keeps the trail). */
    public static final String REPLAY_OF = "x-payout-replay-of";
    /** Our headers all start with this; a replay drops them: they describe the dead-lettering, not the message. */
    static final String OURS = "x-payout-";

    private DeadLetterHeaders() {
    }

    /** AMQP header values (long strings, dates, nested tables and arrays, bytes) as JSON values. */
    public static Map<String, Object> jsonable(Map<String, Object> headers) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> out.put(clean(k), value(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object value(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> clean(s);
            case LongString ls -> clean(new String(ls.getBytes(), StandardCharsets.UTF_8));
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s;
            case Byte b -> b;
            case BigDecimal d -> d;
            case Number n -> n.toString();
            case Date d -> d.toInstant().toString();
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case Map<?, ?> m -> jsonable((Map<String, Object>) m);
            case List<?> l -> l.stream().map(DeadLetterHeaders::value).toList();
            case Object[] a -> java.util.Arrays.stream(a).map(DeadLetterHeaders::value).toList();
            default -> clean(v.toString());
        };
    }

    /** PostgreSQL cannot store NUL in text or jsonb; a header is never worth losing the dead letter over. */
    static String clean(String s) {
        return s == null ? null : s.replace("\u0000", "");
    }

    /** A header as text, or null. */
    static String text(Map<String, Object> headers, String name) {
        Object v = headers == null ? null : headers.get(name);
        return switch (v) {
            case null -> null;
            case LongString ls -> new String(ls.getBytes(), StandardCharsets.UTF_8);
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> v.toString();
        };
    }
}
