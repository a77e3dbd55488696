package io.payout.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The real PostgreSQL and RabbitMQ the tests run against, and per-test isolation on them: a fresh database and a
 * fresh vhost per test application, dropped afterwards. Connection settings come from the environment with the
 * local defaults that {@code .ci/run} and {@code deploy/local/up.sh} set up (role {@code payout}, guest on
 * 127.0.0.1, management API on 15672).
 * <p>
 * Two kinds of database role (docs/operating/README.md "Database roles"): {@link #connect} is the owner of the databases,
 * which Flyway migrates as and tests assert with; {@link #connectAs} is a service's runtime role, which the service
 * runs as and which may do only what its migrations grant.
 */
public final class TestInfra {
    public static final String PG_HOST = env("PAYOUT_DB_HOST", "127.0.0.1");
    public static final String PG_PORT = env("PAYOUT_DB_PORT", "5432");
    public static final String PG_USER = env("PAYOUT_DB_USER", "payout");
    public static final String PG_PASSWORD = env("PAYOUT_DB_PASSWORD", "payout");
    /** Every service's runtime role, as deploy/local/lib/infra.sh creates them (PAYOUT_DB_RUNTIME_ROLES). */
    public static final List<String> RUNTIME_ROLES = List.of(
            env("PAYOUT_DB_RUNTIME_ROLES", "payout_transfer payout_ledger payout_bank_adapter payout_webhook").split(" +"));
    public static final String MQ_HOST = env("PAYOUT_RABBITMQ_HOST", "127.0.0.1");
    public static final int MQ_PORT = Integer.parseInt(env("PAYOUT_RABBITMQ_PORT", "5672"));
    public static final String MQ_USER = env("PAYOUT_RABBITMQ_USER", "guest");
    public static final String MQ_PASSWORD = env("PAYOUT_RABBITMQ_PASSWORD", "guest");
    public static final String MQ_MANAGEMENT = env("PAYOUT_RABBITMQ_MANAGEMENT", "http://127.0.0.1:15672");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private TestInfra() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), PG_USER, PG_PASSWORD);
    }

    /**
     * Connects as a service's runtime role, with the DEV-ONLY password deploy/local/lib/infra.sh gives it and the
     * services' dev/test/local configuration uses: {@code dev-only-<role>}.
     */
    public static Connection connectAs(String role, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), role, "dev-only-" + role);
    }

    public static void createDatabase(String name) {
        sqlOnAdminDb("create database " + name);
    }

    public static void dropDatabase(String name) {
        sqlOnAdminDb("drop database if exists " + name + " with (force)");
    }

    private static void sqlOnAdminDb(String sql) {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_HOST + ":" + PG_PORT + " as " + PG_USER
                    + " refused '" + sql + "' (run .ci/run or deploy/local/up.sh once to set it up)", e);
        }
    }

    public static void createVhost(String vhost) {
        management("PUT", "/api/vhosts/" + vhost, "{}");
        management("PUT", "/api/permissions/" + vhost + "/" + MQ_USER,
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }

    public static void deleteVhost(String vhost) {
        management("DELETE", "/api/vhosts/" + vhost, null);
    }

    private static void management(String method, String path, String body) {
        String auth = Base64.getEncoder().encodeToString((MQ_USER + ":" + MQ_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(MQ_MANAGEMENT + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300 && !(method.equals("DELETE") && r.statusCode() == 404)) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("RabbitMQ management API at " + MQ_MANAGEMENT
                    + " unreachable (enable it: rabbitmq-plugins enable rabbitmq_management)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
