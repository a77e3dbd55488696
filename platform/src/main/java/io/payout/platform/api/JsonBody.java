package io.payout.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.payout.platform.money.Currencies;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict request-body reading: a size cap, duplicate keys and trailing content refused, and field readers that
 * collect every type error instead of stopping at the first (Jackson data binding stops at the first).
 */
public final class JsonBody {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {
    }

    /** Parses a body that must be one JSON object of at most {@code maxBytes} UTF-8 bytes. */
    public static ObjectNode parseObject(String body, int maxBytes) {
        if (body == null || body.isBlank()) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, "The request body is empty; a JSON object is required");
        }
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "The body has " + size + " bytes; at most " + maxBytes + " are accepted");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON,
                    "The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, "The body must be a JSON object");
        }
        return object;
    }

    /** Reads the fields of one JSON object, recording a {@link FieldError} for each problem. */
    public static final class Fields {
        private final ObjectNode node;
        private final String prefix;
        private final List<FieldError> errors;
        private final Set<String> read = new LinkedHashSet<>();

        public Fields(ObjectNode node) {
            this(node, "", new ArrayList<>());
        }

        private Fields(ObjectNode node, String prefix, List<FieldError> errors) {
            this.node = node;
            this.prefix = prefix;
            this.errors = errors;
        }

        /** A string field; null when absent, JSON null or of another type (the last is recorded as an error). */
        public String text(String name) {
            read.add(name);
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                error(name, "WRONG_TYPE", "must be a string, not " + v.getNodeType().name().toLowerCase());
                return null;
            }
            return v.textValue();
        }

        /** A nested object; null when absent or of another type (the last is recorded). */
        public Fields object(String name) {
            read.add(name);
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!(v instanceof ObjectNode obj)) {
                error(name, "WRONG_TYPE", "must be an object, not " + v.getNodeType().name().toLowerCase());
                return null;
            }
            return new Fields(obj, path(name) + ".", errors);
        }

        /**
         * A positive amount in minor units of the currency, parsed from a decimal string; every way it can be wrong
         * is recorded as this field's error, and then 0 is returned.
         */
        public long positiveAmount(String name, String decimal, String currency) {
            return switch (Currencies.parse(decimal, currency)) {
                case Currencies.Parsed.Ok ok when ok.minor() > 0 -> ok.minor();
                case Currencies.Parsed.Ok ok -> {
                    error(name, "TOO_SMALL", "must be greater than zero");
                    yield 0;
                }
                case Currencies.Parsed.TooManyDecimals t -> {
                    error(name, "TOO_MANY_DECIMALS", currency + " allows " + t.allowed() + " decimal places");
                    yield 0;
                }
                case Currencies.Parsed.OutOfRange r -> {
                    error(name, "TOO_LARGE", "is out of range");
                    yield 0;
                }
                case Currencies.Parsed.NotDecimal n -> {
                    error(name, "INVALID_FORMAT", "must be a plain positive decimal string");
                    yield 0;
                }
            };
        }

        /** Records every field that was not read as unknown; call after reading the known ones. */
        public void rejectUnknown() {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!read.contains(name)) {
                    error(name, "UNKNOWN_FIELD", "is not a field of this request");
                }
            }
        }

        public void error(String name, String code, String message) {
            errors.add(new FieldError(path(name), code, message));
        }

        public boolean hasError(String name) {
            String p = path(name);
            return errors.stream().anyMatch(e -> e.field().equals(p));
        }

        public String path(String name) {
            return prefix + name;
        }

        public List<FieldError> errors() {
            return errors;
        }
    }
}
