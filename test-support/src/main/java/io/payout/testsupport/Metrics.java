package io.payout.testsupport;

import static io.restassured.RestAssured.given;

/** Reads the app under test's {@code /q/metrics} (Prometheus text); tests compare before/after, never absolutes. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The sum of the samples of {@code name} (the exported name, e.g. {@code payout_transfer_approval_seconds_count})
     * whose label set contains every one of {@code labels} (e.g. {@code layer="ingress"}); 0 when there is none yet.
     */
    public static double sum(String name, String... labels) {
        return in(given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }

    /** The same, over a scrape already read (e.g. from another process). */
    public static double in(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> {
                    for (String label : labels) {
                        if (!l.contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Metrics::value)
                .sum();
    }

    /** The sample's value: the token after the labels, before any exemplar ({@code # {trace_id=…} v ts}). */
    private static double value(String line) {
        int exemplar = line.indexOf(" # ");
        String sample = exemplar < 0 ? line : line.substring(0, exemplar);
        int labels = sample.lastIndexOf('}');
        String[] tokens = (labels < 0 ? sample.substring(sample.indexOf(' ')) : sample.substring(labels + 1))
                .trim().split("\\s+");
        return Double.parseDouble(tokens[0]); // a timestamp may follow
    }
}
