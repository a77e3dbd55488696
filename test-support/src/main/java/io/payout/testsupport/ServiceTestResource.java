package io.payout.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives the Quarkus application under test its own PostgreSQL database and RabbitMQ vhost (fresh per test
 * application, dropped afterwards, so runs never see each other's rows or redelivered messages), and makes it trust
 * the test token key.
 */
public class ServiceTestResource implements QuarkusTestResourceLifecycleManager {
    /** The database and vhost of the application currently under test (one per JVM at a time). */
    private static volatile String database;
    private static volatile String vhost;

    @Override
    public Map<String, String> start() {
        database = TestInfra.uniqueName("t");
        vhost = TestInfra.uniqueName("t");
        TestInfra.createDatabase(database);
        TestInfra.createVhost(vhost);
        return Map.of(
                "payout.db.name", database,
                "payout.db.host", TestInfra.PG_HOST,
                "payout.db.port", TestInfra.PG_PORT,
                "quarkus.datasource.username", TestInfra.PG_USER,
                "quarkus.datasource.password", TestInfra.PG_PASSWORD,
                "rabbitmq-virtual-host", vhost,
                "mp.jwt.verify.publickey", Tokens.publicKeyBase64(),
                "mp.jwt.verify.issuer", Tokens.ISSUER);
    }

    @Override
    public void stop() {
        if (database != null) {
            TestInfra.dropDatabase(database);
        }
        if (vhost != null) {
            TestInfra.deleteVhost(vhost);
        }
    }

    public static String database() {
        return database;
    }

    public static String vhost() {
        return vhost;
    }
}
