package io.payout.system;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per transfer, as the local trace viewer (the Zipkin server up.sh starts) shows it: the POST, the ledger's
 * hold and settle, the adapter's call to the bank, webhook-service's part, all under the trace id the transfer
 * resource names. The trace is written to {@code system-tests/target/transfer-trace.txt} (service, name, duration).
 */
@ExtendWith(SharedStack.class)
class TraceIT {
    private static final Set<String> SERVICES =
            Set.of("transfer-service", "ledger-service", "bank-adapter-service", "webhook-service");
    private static final Path TRACE_FILE = LocalStack.ROOT.resolve("system-tests/target/transfer-trace.txt");
    private static Payout payout;

    @BeforeAll
    static void clients() throws Exception {
        payout = new Payout(SharedStack.stack());
    }

    @Test
    void aSettledTransfersTraceSpansAllFourServicesAndTheBankCallUnderOneTraceId() throws Exception {
        Payout.Finished t = payout.transferToTheEnd("12345678901234", "15000");
        assertThat(t.state()).isEqualTo("SETTLED");
        String id = t.id();
        String traceId = t.traceId();
        assertThat(traceId).matches("[0-9a-f]{32}");

        List<Map<String, Object>> spans = await().atMost(Payout.SETTLE_WAIT)
                .until(() -> trace(traceId), s -> services(s).containsAll(SERVICES) && !bankCalls(s).isEmpty());

        assertThat(spans).allSatisfy(s -> assertThat(s.get("traceId")).isEqualTo(traceId));
        assertThat(services(spans)).containsAll(SERVICES);
        assertThat(bankCalls(spans)).isNotEmpty();
        // the transfer's own POST is the root of the trace
        assertThat(spans).filteredOn(s -> s.get("parentId") == null)
                .extracting(s -> service(s) + " " + s.get("kind"))
                .containsExactly("transfer-service SERVER");
        write(id, traceId, spans);
    }

    /** Zipkin's spans of the trace; none (404) until the first batch is in. */
    private static List<Map<String, Object>> trace(String traceId) {
        Response r = given().baseUri(SharedStack.stack().url("zipkin")).when().get("/api/v2/trace/" + traceId);
        if (r.statusCode() == 404) {
            return List.of();
        }
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return new JsonPath(r.asString()).getList("$");
    }

    private static Set<String> services(List<Map<String, Object>> spans) {
        return spans.stream().map(TraceIT::service).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    /** The adapter's HTTP calls to the bank's transfer API. */
    private static List<Map<String, Object>> bankCalls(List<Map<String, Object>> spans) {
        return spans.stream()
                .filter(s -> "bank-adapter-service".equals(service(s)) && "CLIENT".equals(s.get("kind")))
                .filter(s -> tags(s).values().stream().anyMatch(v -> v.contains("/v2/transfers")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static String service(Map<String, Object> span) {
        Object endpoint = span.get("localEndpoint");
        return endpoint instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("serviceName") : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> tags(Map<String, Object> span) {
        Object tags = span.get("tags");
        return tags instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    private static long micros(Map<String, Object> span, String field) {
        Object v = span.get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** One line per span, by start time: offset from the POST, duration, service, kind, name (indented by depth). */
    private static void write(String transferId, String traceId, List<Map<String, Object>> spans) throws Exception {
        List<Map<String, Object>> ordered = spans.stream()
                .sorted(Comparator.comparingLong(s -> micros(s, "timestamp"))).toList();
        Map<String, String> parents = new HashMap<>();
        spans.forEach(s -> parents.put((String) s.get("id"), (String) s.get("parentId")));
        long start = micros(ordered.get(0), "timestamp");
        StringBuilder out = new StringBuilder()
                .append("transfer ").append(transferId).append("  trace_id ").append(traceId)
                .append("  spans ").append(spans.size()).append('\n')
                .append(String.format("%9s %9s  %-21s %-9s %s%n", "start_ms", "dur_ms", "service", "kind", "name"));
        for (Map<String, Object> s : ordered) {
            int depth = 0;
            for (String p = (String) s.get("parentId"); p != null && depth < 50; p = parents.get(p)) {
                depth++;
            }
            out.append(String.format("%9.1f %9.1f  %-21s %-9s %s%s%n",
                    (micros(s, "timestamp") - start) / 1000.0, micros(s, "duration") / 1000.0, service(s),
                    Objects.requireNonNullElse(s.get("kind"), "INTERNAL"), "  ".repeat(depth), s.get("name")));
        }
        Files.createDirectories(TRACE_FILE.getParent());
        Files.writeString(TRACE_FILE, out.toString());
    }
}
