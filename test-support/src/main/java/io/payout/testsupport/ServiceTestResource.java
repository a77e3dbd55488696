package io.payout.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives the Quarkus application under test its own PostgreSQL database and RabbitMQ vhost (fresh per test
 * application, dropped afterwards, so runs never see each other's rows or redelivered messages), and makes it verify
 * tokens against test-support's JWKS ({@link #authProperties()}).
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
        Map<String, String> properties = new HashMap<>(databaseProperties());
        properties.put("rabbitmq-virtual-host", vhost);
        properties.putAll(authProperties());
        return properties;
    }

    /**
     * The test database, migrated by Flyway as its owner (the role that created it here); the service itself runs as
     * its runtime role ({@code payout.db.runtime-user} and its DEV-ONLY password, from the service's own
     * configuration), as in production: a grant its code needs and its migrations lack fails the suite.
     */
    private static Map<String, String> databaseProperties() {
        return Map.of(
                "payout.db.name", database,
                "payout.db.host", TestInfra.PG_HOST,
                "payout.db.port", TestInfra.PG_PORT,
                "payout.db.owner-user", TestInfra.PG_USER,
                "payout.db.owner-password", TestInfra.PG_PASSWORD);
    }

    /**
     * Token verification as in production: keys from a JWKS URL ({@link JwksServer}, which a test may change while the
     * service runs), the test issuer and audience. An unknown {@code kid} refreshes the key set at once (in production
     * at most once per {@code smallrye.jwt.jwks.forced-refresh-interval}), so rotation tests need no waiting.
     */
    public static Map<String, String> authProperties() {
        return Map.of(
                "mp.jwt.verify.publickey.location", JwksServer.url(),
                "mp.jwt.verify.issuer", Tokens.ISSUER,
                "mp.jwt.verify.audiences", Tokens.AUDIENCE,
                "smallrye.jwt.jwks.forced-refresh-interval", "0");
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
