package io.payout.webhook.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event id of a webhook without a bank id: SHA-256 of the normalized payload, a pure function. */
class EventIdsTest {
    private static final String COMPACT_SORTED =
            "{\"data\":{\"amount\":15000,\"bank_tran_id\":\"T1\",\"status\":\"SUCCEEDED\"},\"type\":\"transfer.result\"}";

    @Test
    void hashIsSha256OfTheSortedCompactJson() {
        // independently computed: printf '%s' "$COMPACT_SORTED" | sha256sum
        assertThat(EventIds.fromPayload(COMPACT_SORTED))
                .isEqualTo("sha256:99f9847a64c0833f23228da1cbcda0a136be0dc31df9e96af03ed72a8f19dfd4");
        assertThat(EventIds.normalize(COMPACT_SORTED)).isEqualTo(COMPACT_SORTED);
    }

    @Test
    void keyOrderDoesNotChangeTheHashAtAnyDepth() {
        String reordered = "{\"type\":\"transfer.result\",\"data\":{\"status\":\"SUCCEEDED\",\"bank_tran_id\":\"T1\","
                + "\"amount\":15000}}";
        assertThat(EventIds.normalize(reordered)).isEqualTo(COMPACT_SORTED);
        assertThat(EventIds.fromPayload(reordered)).isEqualTo(EventIds.fromPayload(COMPACT_SORTED));
    }

    @Test
    void whitespaceDoesNotChangeTheHash() {
        String pretty = """
                {
                  "type" : "transfer.result",
                  "data" : {
                    "bank_tran_id" :\t"T1",
                    "status" : "SUCCEEDED",\r
                    "amount" : 15000
                  }
                }
                """;
        assertThat(EventIds.fromPayload(pretty)).isEqualTo(EventIds.fromPayload(COMPACT_SORTED));
    }

    @Test
    void whitespaceInsideStringsIsContent() {
        assertThat(EventIds.fromPayload("{\"reason\":\"no funds\"}"))
                .isNotEqualTo(EventIds.fromPayload("{\"reason\":\"nofunds\"}"));
    }

    @Test
    void anyChangedValueChangesTheHash() {
        String failed = COMPACT_SORTED.replace("SUCCEEDED", "FAILED");
        String otherAmount = COMPACT_SORTED.replace("15000", "15001");
        String otherRef = COMPACT_SORTED.replace("\"T1\"", "\"T2\"");
        assertThat(java.util.Set.of(EventIds.fromPayload(COMPACT_SORTED), EventIds.fromPayload(failed),
                EventIds.fromPayload(otherAmount), EventIds.fromPayload(otherRef))).hasSize(4);
    }

    @Test
    void arrayOrderIsContent() {
        assertThat(EventIds.normalize("{\"b\":[2,1],\"a\":{\"d\":1,\"c\":[{\"z\":1,\"y\":2}]}}"))
                .isEqualTo("{\"a\":{\"c\":[{\"y\":2,\"z\":1}],\"d\":1},\"b\":[2,1]}");
        assertThat(EventIds.fromPayload("[1,2]")).isNotEqualTo(EventIds.fromPayload("[2,1]"));
    }

    @Test
    void stringEscapesAreNormalized() {
        assertThat(EventIds.normalize("{\"r\":\"caf\\u00e9 \\/ \\u0041\"}")).isEqualTo("{\"r\":\"café / A\"}");
        assertThat(EventIds.normalize("{\"r\":\"a\\u0000\\n\\\"\\\\\"}")).isEqualTo("{\"r\":\"a\\u0000\\n\\\"\\\\\"}");
        // two different lone surrogates must not both collapse to '?' in UTF-8
        assertThat(EventIds.fromPayload("{\"r\":\"\\ud800\"}")).isNotEqualTo(EventIds.fromPayload("{\"r\":\"\\udc00\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"15000", "15000.0", "15000.000", "1.5e4", "1.5E+4", "150000e-1"})
    void numbersAreNormalizedByValue(String spelling) {
        assertThat(EventIds.normalize("{\"amount\":" + spelling + "}")).isEqualTo("{\"amount\":15000}");
    }

    @Test
    void decimalsAreExactAndHugeExponentsStayCompact() {
        assertThat(EventIds.normalize("[0.10,-0.0,1e-3,0.1000000000000000055511151231257827]"))
                .isEqualTo("[0.1,0,0.001,0.1000000000000000055511151231257827]");
        assertThat(EventIds.normalize("[1e999999999]")).isEqualTo("[1E+999999999]");
    }

    @Test
    void theBanksIdWinsWhenPresent() {
        assertThat(EventIds.resolve("msg_123", COMPACT_SORTED)).isEqualTo("msg_123");
        assertThat(EventIds.resolve(null, COMPACT_SORTED)).isEqualTo(EventIds.fromPayload(COMPACT_SORTED));
        assertThat(EventIds.resolve(" ", COMPACT_SORTED)).startsWith(EventIds.HASH_PREFIX).hasSize(7 + 64);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "{", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "not json"})
    void notOneJsonDocumentHasNoNormalForm(String input) {
        assertThatThrownBy(() -> EventIds.fromPayload(input)).isInstanceOf(IllegalArgumentException.class);
    }
}
