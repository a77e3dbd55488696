package io.payout.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity provider's key set as a real HTTP JWKS endpoint (one per test JVM, on a random port): services under
 * test verify tokens against it exactly as production verifies against its JWKS URL, so a test can add or withdraw a
 * key and watch a running service follow without a restart. It starts with {@link Tokens#KEY} published.
 */
public final class JwksServer {
    private static final Map<String, SigningKey> KEYS = new ConcurrentHashMap<>();
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static HttpServer server;

    private JwksServer() {
    }

    /** The JWKS URL ({@code mp.jwt.verify.publickey.location}); starts the server on first use. */
    public static synchronized String url() {
        if (server == null) {
            KEYS.put(Tokens.KEY.kid(), Tokens.KEY);
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/jwks", JwksServer::serve);
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    /** Adds (or replaces) a key in the set: the next fetch by a service sees it. */
    public static void publish(SigningKey key) {
        KEYS.put(key.kid(), key);
    }

    /** Removes a key from the set: services stop trusting it at their next refresh. */
    public static void withdraw(String kid) {
        KEYS.remove(kid);
    }

    /** How many times the key set was fetched so far. */
    public static int fetches() {
        return FETCHES.get();
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            FETCHES.incrementAndGet();
            byte[] body = json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    static String json() {
        List<JsonWebKey> keys = new ArrayList<>();
        for (SigningKey k : KEYS.values()) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(k.publicKey());
            jwk.setKeyId(k.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm("RS256");
            keys.add(jwk);
        }
        return new JsonWebKeySet(keys).toJson();
    }
}
