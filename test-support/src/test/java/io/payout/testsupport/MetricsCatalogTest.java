package io.payout.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metric catalog ({@code docs/reference/metrics.md}) against what uses it and what defines it: the alert rules
 * and the dashboard name only documented metrics, and every {@code payout_*} meter the services register is
 * documented. {@code MetricsIT} (system-tests) checks the other direction against the running stack.
 */
class MetricsCatalogTest {
    private static final Path ROOT = RepoRoot.find();
    private static final Path DOC = ROOT.resolve("docs/reference/metrics.md");
    private static final Path ALERTS = ROOT.resolve("deploy/observability/prometheus/alerts.yml");
    private static final Path DASHBOARD = ROOT.resolve("deploy/observability/grafana/payout-dashboard.json");
    private static final Pattern NAME = Pattern.compile("\\bpayout_[a-z0-9_]+\\b");
    private static final Pattern DOC_ROW = Pattern.compile("^\\| `(payout_[a-z0-9_]+)` \\| ([a-z]+) \\|");
    private static final Pattern REGISTERED = Pattern.compile(
            "(Counter\\.builder|registry\\.counter|Gauge\\.builder|Timer\\.builder)\\(\\s*\"(payout_[a-z0-9_]+)\"");

    @Test
    void theCatalogListsEachMetricOnceWithAKnownType() throws IOException {
        Map<String, String> documented = documented();
        assertThat(documented).hasSizeGreaterThan(20);
        assertThat(documented.values()).allSatisfy(type ->
                assertThat(type).isIn("counter", "gauge", "histogram", "timer"));
        assertThat(documented.keySet()).filteredOn(n -> documented.get(n).equals("counter"))
                .allSatisfy(n -> assertThat(n).endsWith("_total"));
        assertThat(documented.keySet()).filteredOn(n -> Set.of("histogram", "timer").contains(documented.get(n)))
                .allSatisfy(n -> assertThat(n).endsWith("_seconds"));
    }

    @Test
    void alertRulesUseOnlyDocumentedMetrics() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        List<String> alerts = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                alerts.add(rule.path("alert").asText());
                assertThat(rule.path("expr").asText()).as(rule.path("alert").asText()).isNotBlank();
                used.addAll(names(rule.toString()));
            }
        }
        assertThat(alerts).contains("PayoutTransfersStuck", "PayoutOutboxLag", "PayoutReconciliationMismatches",
                "PayoutBankBreakerOpen", "PayoutDeadLettersOpen");
        assertDocumented(used, "alerts.yml");
    }

    @Test
    void theDashboardUsesOnlyDocumentedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> used = new TreeSet<>();
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                targets++;
                Set<String> inExpr = names(target.path("expr").asText());
                assertThat(inExpr).as(panel.path("title").asText()).isNotEmpty();
                used.addAll(inExpr);
            }
        }
        assertThat(targets).isGreaterThan(10);
        assertThat(used).as("the metrics the issue asks to see").contains("payout_transfers",
                "payout_transfer_approval_seconds_bucket", "payout_transfer_dispatched_seconds_bucket",
                "payout_duplicates_blocked_total", "payout_outbox_lag_seconds", "payout_outbox_backlog",
                "payout_bank_call_latency_seconds_bucket", "payout_bank_calls_total", "payout_bank_breaker_state",
                "payout_dead_letters_open", "payout_reconciliation_mismatches");
        assertDocumented(used, "payout-dashboard.json");
    }

    @Test
    void everyMeterTheServicesRegisterIsDocumented() throws IOException {
        Set<String> registered = new TreeSet<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ROOT)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
        for (Path source : sources) {
            Matcher m = REGISTERED.matcher(Files.readString(source));
            while (m.find()) {
                String kind = m.group(1);
                registered.add(kind.startsWith("Timer") ? m.group(2) + "_seconds"
                        : kind.startsWith("Gauge") ? m.group(2) : m.group(2) + "_total");
            }
        }
        assertThat(registered).contains("payout_outbox_lag_seconds", "payout_transfer_approval_seconds");
        assertThat(documented().keySet()).containsAll(registered);
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Path promtool = Paths.get("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool), "promtool not installed (Debian: apt-get install prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", ALERTS.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Documented name → type, from the catalog's table rows. */
    static Map<String, String> documented() throws IOException {
        Map<String, String> names = new TreeMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.find()) {
                assertThat(names.put(m.group(1), m.group(2))).as("listed twice: " + m.group(1)).isNull();
            }
        }
        return names;
    }

    /** A used series name as the documented metric it belongs to (histogram and timer series carry suffixes). */
    private static void assertDocumented(Set<String> used, String where) throws IOException {
        Map<String, String> documented = documented();
        List<String> unknown = new ArrayList<>();
        for (String name : used) {
            String base = name.replaceFirst("_(bucket|count|sum|max)$", "");
            boolean known = documented.containsKey(name)
                    || (!base.equals(name) && Set.of("histogram", "timer").contains(documented.get(base)));
            if (!known) {
                unknown.add(name);
            }
        }
        assertThat(unknown).as("metrics in " + where + " missing from docs/reference/metrics.md").isEmpty();
    }

    private static Set<String> names(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
