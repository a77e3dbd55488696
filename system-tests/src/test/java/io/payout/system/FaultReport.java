package io.payout.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The crash/restart suite's figures and violations, written as fault-report-{profile}.json (everything) and .md
 * (the table quoted in notes; violations listed with the ids involved).
 */
final class FaultReport {
    private static final int IDS_SHOWN = 50;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, List<String>> violations = new LinkedHashMap<>();

    synchronized void put(String name, Object value) {
        figures.put(name, value);
    }

    /** A check and what broke it (empty: it held); every check is listed in the report, held or not. */
    synchronized void violation(String check, List<String> broken) {
        violations.put(check, List.copyOf(broken));
    }

    /** Only the checks that failed, each with what broke it. */
    synchronized Map<String, List<String>> violations() {
        Map<String, List<String>> failed = new LinkedHashMap<>();
        violations.forEach((check, broken) -> {
            if (!broken.isEmpty()) {
                failed.put(check, broken);
            }
        });
        return failed;
    }

    /** fault-report-{profile}.json and .md in {@code dir}: the short profile of ./mvnw verify never overwrites a full one. */
    synchronized void write(Path dir, String profile) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>(figures);
        json.put("checks", violations);
        json.put("passed", violations().isEmpty());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("fault-report-" + profile + ".json").toFile(), json);

        StringBuilder md = new StringBuilder("# Crash, restart and rolling-deploy suite: ")
                .append(violations().isEmpty() ? "PASSED" : "FAILED").append("\n\n| figure | value |\n|---|---|\n");
        figures.forEach((name, value) -> {
            if (!(value instanceof Collection<?>)) {
                md.append("| ").append(name.replace('_', ' ')).append(" | ").append(value).append(" |\n");
            }
        });
        md.append("\n## Checks\n\n| check | result |\n|---|---|\n");
        violations.forEach((check, broken) -> md.append("| ").append(check).append(" | ")
                .append(broken.isEmpty() ? "held" : broken.size() + " violation(s)").append(" |\n"));
        violations().forEach((check, broken) -> {
            md.append("\n### ").append(check).append("\n\n");
            broken.stream().limit(IDS_SHOWN).forEach(b -> md.append("- ").append(b).append('\n'));
            if (broken.size() > IDS_SHOWN) {
                md.append("- … ").append(broken.size() - IDS_SHOWN).append(" more in the .json report\n");
            }
        });
        if (figures.get("fault_log") instanceof Collection<?> log) {
            md.append("\n## Faults in order\n\n");
            log.forEach(line -> md.append("- ").append(line).append('\n'));
        }
        Files.writeString(dir.resolve("fault-report-" + profile + ".md"), md);
        System.out.println(md);
    }
}
