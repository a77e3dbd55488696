package io.payout.system;

import io.payout.testsupport.Rows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;

/**
 * The stack the crash/restart suite is allowed to break: its own PostgreSQL cluster and RabbitMQ node
 * ({@code deploy/local/own-infra.sh}, under {@code system-tests/target}), and two instances of every service, each
 * started by {@code deploy/local/up.sh} in its own run directory on its own ports; one bank sandbox (the bank's truth
 * must outlive the restarts). Instance "a" starts the sandbox, whose webhooks go to webhook-service a, and its ledger
 * reconciles through bank-adapter a; instance "b" runs the four services only.
 * <p>
 * Ports, from 18080 + {@code payout.it.port-offset}: a +4..+7, b +14..+17 (transfer, ledger, bank_adapter,
 * webhook), sandbox +11, PostgreSQL +8, AMQP +9, management +12, Erlang distribution +13. The suites on
 * {@link LocalStack} use +0..+3 and +10, so both stacks can run in one failsafe JVM.
 */
public final class FaultStack implements Stack {
    public static final List<String> SERVICES = List.of("transfer", "ledger", "bank_adapter", "webhook");
    public static final List<String> INSTANCES = List.of("a", "b");
    /** down.sh's grace before SIGKILL: above the services' quarkus.shutdown.timeout with room for a loaded machine. */
    public static final int GRACE_SECONDS = 30;

    private static final int BASE = 18080 + Integer.getInteger("payout.it.port-offset", 0);
    private static final Map<String, Integer> SLOT = Map.of("transfer", 4, "ledger", 5, "bank_adapter", 6, "webhook", 7);
    private static final Map<String, String> PROCESS = Map.of("transfer", "transfer-service", "ledger", "ledger-service",
            "bank_adapter", "bank-adapter-service", "webhook", "webhook-service");
    private static final int PG_PORT = BASE + 8;
    private static final int AMQP_PORT = BASE + 9;
    private static final int SANDBOX_PORT = BASE + 11;
    private static final int MANAGEMENT_PORT = BASE + 12;
    private static final int DIST_PORT = BASE + 13;
    private static final String VHOST = "payout_faults";

    /** Per port base: two checkouts' (or offsets') suites never share a cluster, a node or a run directory. */
    private final Path dir = LocalStack.ROOT.resolve("system-tests/target/fault-stack-" + BASE);

    /**
     * Clocks between LocalStack's (seconds, for single scenarios) and production's (a minute): with a backlog of
     * thousands of messages on two shared cores, a 5 s expiry turns every queued dispatch into an inquiry, the
     * inquiries into more backlog (seen in the first full runs), while production's minute makes a bank-fault window
     * take minutes to resolve.
     */
    private static final String CLOCKS = String.join(" ",
            "-Dpayout.transfer.sweeper.expire-after-ms=20000",
            "-Dpayout.transfer.sweeper.inquiry-backoff-initial-ms=2000",
            "-Dpayout.transfer.sweeper.inquiry-backoff-max-ms=20000",
            "-Dpayout.bank.in-flight-grace-ms=10000",
            "-Dpayout.sandbox.timeout-fault-ms=4000");

    private FaultStack() {
    }

    /** A fresh cluster and node, then both instances; everything is torn down again if any of it fails. */
    public static FaultStack start() throws Exception {
        FaultStack stack = new FaultStack();
        try {
            stack.stopInstances(); // what an interrupted earlier run may have left running
            stack.infra("up");
            for (String instance : INSTANCES) {
                Files.createDirectories(stack.runDir(instance));
                LocalStack.script("up.sh", stack.env(instance, Optional.empty()));
            }
        } catch (Exception | Error e) {
            stack.stop();
            throw e;
        }
        return stack;
    }

    /** Both instances (SIGTERM, then SIGKILL after the grace), then the cluster and the node, whose files go too. */
    public void stop() throws Exception {
        try {
            stopInstances();
        } finally {
            infra("down");
        }
    }

    private void stopInstances() throws Exception {
        for (String instance : INSTANCES) {
            if (Files.isDirectory(runDir(instance))) {
                LocalStack.script("down.sh", env(instance, Optional.empty()));
            }
        }
    }

    // --- faults ---

    /** SIGKILL: no shutdown hook runs, transactions and unacked deliveries are cut where they are. */
    public void kill(String instance, String service) throws IOException {
        ProcessHandle.of(pid(instance, service)).ifPresent(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGTERM through down.sh, the rolling-deploy path: true when the process exited by itself within
     * {@link #GRACE_SECONDS} (down.sh says it had to SIGKILL otherwise).
     */
    public boolean terminate(String instance, String service) throws Exception {
        String out = LocalStack.script("down.sh", env(instance, Optional.of(service)));
        return !out.contains("SIGKILL");
    }

    /** Starts the instance's process again (up.sh for that one service) and waits until it is ready. */
    public void start(String instance, String service) throws Exception {
        LocalStack.script("up.sh", env(instance, Optional.of(service)));
    }

    public boolean ready(String instance, String service) {
        try {
            return given().baseUri(url(instance, service)).when().get("/q/health/ready").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public void restartPostgres() throws Exception {
        infra("restart-postgres");
    }

    public void restartRabbitmq() throws Exception {
        infra("restart-rabbitmq");
    }

    // --- where things are ---

    public String url(String instance, String service) {
        int port = "sandbox".equals(service) ? SANDBOX_PORT : BASE + SLOT.get(service) + ("a".equals(instance) ? 0 : 10);
        return "http://localhost:" + port;
    }

    @Override
    public String url(String service) {
        return url("a", service);
    }

    @Override
    public String token(String clientId, String... roles) throws Exception {
        return LocalStack.devToken(clientId, roles);
    }

    @Override
    public String vhost() {
        return VHOST;
    }

    @Override
    public List<Map<String, Object>> query(String service, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PG_PORT + "/" + service,
                "payout", "payout")) {
            return Rows.query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException("own PostgreSQL on " + PG_PORT, e);
        }
    }

    public long pid(String instance, String service) throws IOException {
        return Long.parseLong(Files.readString(runDir(instance).resolve(PROCESS.get(service) + ".pid")).trim());
    }

    public Path runDir(String instance) {
        return dir.resolve("run-" + instance);
    }

    private void infra(String command) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(connection());
        env.put("PAYOUT_OWN_INFRA_DIR", dir.resolve("infra").toString());
        env.put("PAYOUT_RABBITMQ_MANAGEMENT_PORT", Integer.toString(MANAGEMENT_PORT));
        env.put("PAYOUT_RABBITMQ_DIST_PORT", Integer.toString(DIST_PORT));
        env.put("PAYOUT_DATABASES", String.join(" ", SERVICES));
        env.put("PAYOUT_VHOST", VHOST);
        LocalStack.script("own-infra.sh", env, command);
    }

    private static Map<String, String> connection() {
        return Map.of("PAYOUT_DB_HOST", "127.0.0.1", "PAYOUT_DB_PORT", Integer.toString(PG_PORT),
                "PAYOUT_RABBITMQ_HOST", "127.0.0.1", "PAYOUT_RABBITMQ_PORT", Integer.toString(AMQP_PORT));
    }

    /** up.sh/down.sh settings of one instance, for all its processes or just one of them. */
    private Map<String, String> env(String instance, Optional<String> service) {
        Map<String, String> env = new LinkedHashMap<>(connection());
        env.put("PAYOUT_INFRA", "external");
        env.put("PAYOUT_RUN_DIR", runDir(instance).toString());
        env.put("PAYOUT_SKIP_BUILD", "1");
        env.put("PAYOUT_ZIPKIN", "0");
        env.put("PAYOUT_SEED", "0");
        env.put("PAYOUT_READY_TIMEOUT", "180");
        env.put("PAYOUT_STOP_TIMEOUT", Integer.toString(GRACE_SECONDS));
        env.put("PAYOUT_VHOST", VHOST);
        env.put("PAYOUT_PORT_TRANSFER", port(instance, "transfer"));
        env.put("PAYOUT_PORT_LEDGER", port(instance, "ledger"));
        env.put("PAYOUT_PORT_BANK_ADAPTER", port(instance, "bank_adapter"));
        env.put("PAYOUT_PORT_WEBHOOK", port(instance, "webhook"));
        env.put("PAYOUT_PORT_SANDBOX", Integer.toString(SANDBOX_PORT));
        for (String svc : SERVICES) {
            env.put("PAYOUT_DB_" + svc.toUpperCase(), svc);
        }
        env.put("PAYOUT_JAVA_OPTS", CLOCKS);
        String processes = service.map(PROCESS::get).orElse("a".equals(instance)
                ? String.join(" ", PROCESS.get("transfer"), PROCESS.get("ledger"), PROCESS.get("bank_adapter"),
                PROCESS.get("webhook"), "bank-sandbox")
                : String.join(" ", PROCESS.get("transfer"), PROCESS.get("ledger"), PROCESS.get("bank_adapter"),
                PROCESS.get("webhook")));
        env.put("PAYOUT_SERVICES", processes);
        return env;
    }

    private String port(String instance, String service) {
        return url(instance, service).substring(url(instance, service).lastIndexOf(':') + 1);
    }
}
