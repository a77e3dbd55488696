package io.payout.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Parsing and validating a fault script: a good one reads back exactly, a bad one lists every problem. */
class FaultScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSpecExampleReadsBackInOrder() throws Exception {
        FaultScript s = FaultScript.read(json("""
                {"seed": 7, "rules": [{"fault": "timeout", "probability": 1.0},
                                      {"fault": "webhook_delay_ms", "probability": 1.0, "value": 3000}]}"""), 99);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.rules()).containsExactly(
                new FaultRule(FaultKind.TIMEOUT, 1.0, null),
                new FaultRule(FaultKind.WEBHOOK_DELAY_MS, 1.0, 3000L));
    }

    @Test
    void seedIsOptionalAndAnEmptyRuleListMeansNoFaults() throws Exception {
        FaultScript s = FaultScript.read(json("{\"rules\": []}"), 99);
        assertThat(s.seed()).isEqualTo(99);
        assertThat(s.rules()).isEmpty();
    }

    @Test
    void everyKnownFaultIsAccepted() throws Exception {
        for (FaultKind kind : FaultKind.values()) {
            String value = kind.value() == FaultKind.Value.NONE ? "" : ", \"value\": " + Math.max(1, kind.min());
            FaultScript s = FaultScript.read(json("{\"rules\": [{\"fault\": \"" + kind.wireName()
                    + "\", \"probability\": 0.5" + value + "}]}"), 1);
            assertThat(s.rules()).singleElement().extracting(FaultRule::fault).isEqualTo(kind);
        }
    }

    @Test
    void anInvalidScriptListsEveryError() throws Exception {
        FaultScript.Invalid e = catchThrowableOfType(FaultScript.Invalid.class, () -> FaultScript.read(json("""
                {"seed": "seven", "colour": "red", "rules": [
                  {"fault": "timeuot", "probability": 1},
                  {"fault": "timeout", "probability": 1.5},
                  {"fault": "latency_ms", "probability": 0.5},
                  {"fault": "error_5xx", "probability": 0.5, "value": 10},
                  {"fault": "timeout", "probability": 1, "value": 120001},
                  {"fault": "webhook_delay_ms", "probabilty": 1, "value": -1},
                  "timeout"
                ]}"""), 1));
        assertThat(e.errors()).containsExactly(
                "colour is not a known field",
                "seed must be an integer",
                "rules[0].fault 'timeuot' is unknown; known: " + FaultKind.wireNames(),
                "rules[1].probability must be a number from 0 to 1",
                "rules[2].value is required for latency_ms",
                "rules[3].value is not allowed for error_5xx",
                "rules[4].value for timeout must be from 0 to 120000",
                "rules[5].probabilty is not a known field",
                "rules[5].probability is required (0 to 1)",
                "rules[5].value for webhook_delay_ms must be from 0 to 120000",
                "rules[6] must be an object {\"fault\", \"probability\", \"value\"?}");
    }

    @Test
    void structuralProblemsAreReportedToo() {
        for (String body : List.of("[]", "{\"seed\": 1}", "{\"rules\": {}}", "{\"rules\": [{\"probability\": \"1\"}]}")) {
            FaultScript.Invalid e = catchThrowableOfType(FaultScript.Invalid.class,
                    () -> FaultScript.read(json(body), 1));
            assertThat(e).as(body).isNotNull();
            assertThat(e.errors()).as(body).isNotEmpty();
        }
        assertThat(catchThrowableOfType(FaultScript.Invalid.class,
                () -> FaultScript.read(json("{\"rules\": [{\"probability\": \"1\"}]}"), 1)).errors())
                .containsExactly("rules[0].fault is required", "rules[0].probability must be a number from 0 to 1");
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }
}
