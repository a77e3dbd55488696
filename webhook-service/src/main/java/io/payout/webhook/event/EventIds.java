package io.payout.webhook.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The dedupe key of a bank webhook (SPEC §6): the bank's own message id when it gives one, otherwise the SHA-256 of
 * the <em>normalized</em> payload, so that the same notification re-sent with different formatting still collides.
 * <p>
 * Normalized means: the JSON parsed and written again with
 * <ul>
 *   <li>object keys sorted (by UTF-16 code units, as {@link String#compareTo}), at every depth; array order kept;</li>
 *   <li>no whitespace between tokens;</li>
 *   <li>strings minimally escaped ({@code "}, {@code \\}, control characters, lone surrogates), so the escaped
 *       {@code "\\u00e9"} and {@code "é"} are the same string;</li>
 *   <li>numbers by value: {@code 15000}, {@code 15000.0} and {@code 1.5e4} all become {@code 15000}, {@code 1.50}
 *       becomes {@code 1.5}.</li>
 * </ul>
 * Pure functions, no state: a bank-specific adapter for a bank that sends no id (and so cannot use Standard
 * Webhooks signatures, which cover the id) can use them as they are. The {@code sha256:} prefix keeps a derived key
 * from ever being mistaken for an id a bank chose.
 */
public final class EventIds {
    public static final String HASH_PREFIX = "sha256:";
    /** Above this many digits a number is written in (still canonical) E-notation instead of expanded. */
    private static final int PLAIN_DIGITS_MAX = 64;

    private static final JsonMapper PARSER = JsonMapper.builder()
            // a duplicate key has no single meaning, so it has no normal form
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // exact decimals: 0.1 must not become 0.1000000000000000055511151231257827
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private EventIds() {
    }

    /** The bank's id when present, else {@link #fromPayload(String)}. */
    public static String resolve(String bankEventId, String payload) {
        return bankEventId == null || bankEventId.isBlank() ? fromPayload(payload) : bankEventId;
    }

    /** {@code sha256:<64 lower-case hex>} of the UTF-8 bytes of {@link #normalize(String)}. */
    public static String fromPayload(String payload) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(normalize(payload).getBytes(StandardCharsets.UTF_8));
            return HASH_PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The normal form of a JSON document; {@link IllegalArgumentException} if it is not exactly one JSON value. */
    public static String normalize(String json) {
        JsonNode node;
        try {
            node = json == null ? null : PARSER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON document: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("not a JSON document: empty");
        }
        StringBuilder out = new StringBuilder(json.length());
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    keys.add(it.next());
                }
                keys.sort(null);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(keys.get(i), out);
                    out.append(':');
                    write(node.get(keys.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> out.append(number(node.decimalValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("unexpected JSON node " + node.getNodeType());
        }
    }

    /**
     * JSON string with minimal escaping: {@code "}, {@code \\}, control characters (short forms where JSON has
     * them) and, unlike a plain UTF-8 encoder that would turn them all into {@code ?}, unpaired surrogates.
     */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u").append(String.format("%04x", (int) c));
    }

    /** One spelling per numeric value. Large exponents stay in E-notation so "1e999999999" cannot blow up memory. */
    static String number(BigDecimal value) {
        BigDecimal d = value.stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        int integerDigits = d.precision() - d.scale();
        if (d.scale() <= 0 ? integerDigits <= PLAIN_DIGITS_MAX : d.scale() <= PLAIN_DIGITS_MAX) {
            return d.toPlainString();
        }
        return d.toString();
    }
}
