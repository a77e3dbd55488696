package io.payout.system;

import io.payout.testsupport.Rows;
import io.payout.testsupport.TestInfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * All six processes (four services, the bank sandbox, the trace viewer) started exactly the way {@code deploy/local/up.sh} starts them, but isolated: their own
 * ports, databases, vhost and run directory, so a developer's stack on the default ports is never touched.
 * The databases and vhost are created here and dropped on {@link #stop()}.
 */
public final class LocalStack implements Stack {
    public static final Path ROOT = Path.of(System.getProperty("payout.repo.root", "..")).toAbsolutePath().normalize();

    /**
     * Service name → port, offset from the defaults so a developer's local stack can keep running
     * ({@code -Dpayout.it.port-offset} moves them all, so two checkouts can run their system tests at once).
     */
    private static final int OFFSET = Integer.getInteger("payout.it.port-offset", 0);
    private static final Map<String, Integer> PORTS = Map.of(
            "transfer", 18080 + OFFSET, "ledger", 18081 + OFFSET, "bank_adapter", 18082 + OFFSET,
            "webhook", 18083 + OFFSET, "sandbox", 18090 + OFFSET, "zipkin", 19411 + OFFSET);

    /** A DISPATCHED transfer without a result becomes EXPIRED after this long in the test stack. */
    public static final long EXPIRE_AFTER_MS = 5000;

    private final Path runDir;
    private final String vhost = TestInfra.uniqueName("it");
    private final Map<String, String> databases = new LinkedHashMap<>();

    private LocalStack() throws IOException {
        runDir = Files.createTempDirectory("payout-it-");
        for (String svc : List.of("transfer", "ledger", "bank_adapter", "webhook")) {
            databases.put(svc, TestInfra.uniqueName("it_" + svc));
        }
    }

    public static LocalStack start() throws Exception {
        LocalStack stack = new LocalStack();
        stack.databases.values().forEach(TestInfra::createDatabase);
        TestInfra.createVhost(stack.vhost);
        try {
            stack.up();
        } catch (Exception | Error e) {
            stack.stop(); // never leave half a stack holding the ports
            throw e;
        }
        return stack;
    }

    /** Runs up.sh (again): starts whatever of the stack is not running and waits until all are ready. */
    public String up() throws Exception {
        return run("up.sh");
    }

    public void stop() throws Exception {
        try {
            run("down.sh");
        } finally {
            databases.values().forEach(TestInfra::dropDatabase);
            TestInfra.deleteVhost(vhost);
        }
    }

    @Override
    public String url(String service) {
        return "http://localhost:" + PORTS.get(service);
    }

    public Path runDir() {
        return runDir;
    }

    @Override
    public String vhost() {
        return vhost;
    }

    public String database(String service) {
        return databases.get(service);
    }

    /** The role the service runs as (its payout.db.runtime-user in the local profile; deploy/local/lib/infra.sh). */
    public String runtimeRole(String service) {
        return "payout_" + service;
    }

    @Override
    public String token(String clientId, String... roles) throws Exception {
        return devToken(clientId, roles);
    }

    /** Prints a local-profile token exactly as a developer would get it. */
    static String devToken(String clientId, String... roles) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/local/token.sh").toString(), clientId));
        cmd.addAll(List.of(roles));
        return exec(cmd, Map.of()).trim();
    }

    @Override
    public List<Map<String, Object>> query(String service, String sql, Object... params) {
        return Rows.query(databases.get(service), sql, params);
    }

    public long pid(String process) throws IOException {
        return Long.parseLong(Files.readString(runDir.resolve(process + ".pid")).trim());
    }

    private String run(String script) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PAYOUT_RUN_DIR", runDir.toString());
        env.put("PAYOUT_SKIP_BUILD", "1"); // the reactor has just packaged every service
        env.put("PAYOUT_VHOST", vhost);
        env.put("PAYOUT_PORT_TRANSFER", PORTS.get("transfer").toString());
        env.put("PAYOUT_PORT_LEDGER", PORTS.get("ledger").toString());
        env.put("PAYOUT_PORT_BANK_ADAPTER", PORTS.get("bank_adapter").toString());
        env.put("PAYOUT_PORT_WEBHOOK", PORTS.get("webhook").toString());
        env.put("PAYOUT_PORT_SANDBOX", PORTS.get("sandbox").toString());
        env.put("PAYOUT_PORT_ZIPKIN", PORTS.get("zipkin").toString());
        env.put("PAYOUT_DB_TRANSFER", databases.get("transfer"));
        env.put("PAYOUT_DB_LEDGER", databases.get("ledger"));
        env.put("PAYOUT_DB_BANK_ADAPTER", databases.get("bank_adapter"));
        env.put("PAYOUT_DB_WEBHOOK", databases.get("webhook"));
        env.put("PAYOUT_JAVA_OPTS", SHORT_CLOCKS);
        return script(script, env);
    }

    /**
     * Short clocks so that faults resolve within a test: expiry, re-inquiry back-off, the adapter's grace before a
     * NOT_FOUND counts, and the sandbox's "answer after the client gave up".
     */
    private static final String SHORT_CLOCKS = String.join(" ",
            "-Dpayout.transfer.sweeper.expire-after-ms=" + EXPIRE_AFTER_MS,
            "-Dpayout.transfer.sweeper.inquiry-backoff-initial-ms=500",
            "-Dpayout.transfer.sweeper.inquiry-backoff-max-ms=3000",
            "-Dpayout.bank.in-flight-grace-ms=8000",
            "-Dpayout.sandbox.timeout-fault-ms=4000");

    /** Runs a deploy/local script with the given environment; its output, or an exception naming its exit code. */
    static String script(String script, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("deploy/local/" + script).toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, env);
    }

    private static String exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
