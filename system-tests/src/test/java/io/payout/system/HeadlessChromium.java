package io.payout.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real browser for the system tests: headless Chromium ({@code /usr/bin/chromium}, installed by
 * {@code .ci/run}'s {@code ensure_browser}; {@code -Dpayout.chromium=…} elsewhere), one process per page load, each
 * with a fresh profile. It runs the page's JavaScript and follows what it does (form submits, redirects, cookies)
 * within a virtual-time budget, then prints the resulting DOM. Chromium and every process it started are killed and
 * the profile deleted afterwards, whatever happened.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of(System.getProperty("payout.chromium", "/usr/bin/chromium"));
    /** Virtual time the page may spend (scripts, navigations): not wall-clock, so a slow machine does not matter. */
    private static final Duration VIRTUAL_TIME = Duration.ofSeconds(15);
    /** A hard stop for a browser that hangs. */
    private static final Duration WALL_CLOCK_MAX = Duration.ofSeconds(90);

    private HeadlessChromium() {
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Loads {@code url} (fragment included: it never leaves the browser) and returns the final page's DOM as HTML. */
    static String dumpDom(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("payout-chromium-");
        Path stderr = Files.createTempFile("payout-chromium-", ".log");
        List<String> cmd = List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + VIRTUAL_TIME.toMillis(), "--dump-dom", url);
        Process browser = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        Set<ProcessHandle> started = new LinkedHashSet<>();
        try {
            browser.getOutputStream().close();
            CompletableFuture<byte[]> dom = CompletableFuture.supplyAsync(() -> {
                try {
                    return browser.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + WALL_CLOCK_MAX.toNanos();
            // note every helper process while the browser lives: once it exits they are no longer its descendants
            while (!browser.waitFor(100, TimeUnit.MILLISECONDS)) {
                browser.descendants().forEach(started::add);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not finish within " + WALL_CLOCK_MAX + "\n" + tail(stderr));
                }
            }
            if (browser.exitValue() != 0) {
                throw new IllegalStateException("chromium exited " + browser.exitValue() + "\n" + tail(stderr));
            }
            return new String(dom.join(), StandardCharsets.UTF_8);
        } finally {
            started.add(browser.toHandle());
            for (ProcessHandle p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            for (ProcessHandle p : started) {
                p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
            }
            delete(profile);
            Files.deleteIfExists(stderr);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
