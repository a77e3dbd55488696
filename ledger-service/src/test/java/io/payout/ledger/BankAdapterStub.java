package io.payout.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's own database and vhost ({@link ServiceTestResource}) plus bank-adapter's statement endpoint as a JDK
 * HTTP server on a random port, serving the paged contract ({@code GET /v1/bank-statements?date=&page=&size=} →
 * {@code {date, page, size, lines, has_more}}) from a statement each test sets per date — a list, lines generated on
 * the fly (a 100 000-line day costs no memory), or an error status. Like bank-adapter it verifies the bearer token:
 * RS256 with the test key and its kid, the test issuer and audience, group {@code statement-reader}; anything else is
 * a 401 problem.
 * The ledger signs with the test key ({@link Tokens#privateKeyPem()}, written to a file for {@code key-location}).
 */
public class BankAdapterStub extends ServiceTestResource {
    /** A statement line as bank-adapter sends it. */
    public record Line(String bankTranId, long amountMinor, String currency) {
    }

    /** A day's statement: the line at a position, and how many there are; or an error answer. */
    public interface Statement {
        int size();

        Line line(int index);

        /** An HTTP status to answer instead (e.g. 503), or 0 to serve the lines. */
        default int failWith() {
            return 0;
        }
    }

    /** What a token carried: checked by the stub, kept for the tests. */
    public record Call(LocalDate date, int page, int size, String subject, List<String> groups, String issuer,
                       long lifetimeS) {
    }

    public static final int MISMATCHES_LISTED_MAX = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<LocalDate, Statement> STATEMENTS = new ConcurrentHashMap<>();
    private static final Map<LocalDate, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static final List<Call> ACCEPTED = new CopyOnWriteArrayList<>();
    private static volatile HttpServer server;
    private static volatile Path keyFile;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            keyFile = Files.createTempFile("ledger-signing-", ".pem");
            Files.writeString(keyFile, Tokens.privateKeyPem());
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/bank-statements", BankAdapterStub::handle);
        server.start();
        config.put("payout.ledger.reconciliation.bank-adapter-url", "http://127.0.0.1:" + server.getAddress().getPort());
        config.put("payout.ledger.reconciliation.bank-adapter-timeout-ms", "5000");
        config.put("payout.ledger.reconciliation.token.key-location", keyFile.toString());
        config.put("payout.ledger.reconciliation.token.key-id", Tokens.KEY.kid());
        // small, so that a test can show a report listing only the first ones
        config.put("payout.ledger.reconciliation.mismatches-listed-max", Integer.toString(MISMATCHES_LISTED_MAX));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        try {
            if (keyFile != null) {
                Files.deleteIfExists(keyFile);
            }
        } catch (IOException e) {
            // a temp file left behind
        }
        super.stop();
    }

    // --- what tests set and read ---

    public static void statement(LocalDate date, Statement statement) {
        STATEMENTS.put(date, statement);
    }

    public static void statement(LocalDate date, List<Line> lines) {
        statement(date, new Statement() {
            @Override
            public int size() {
                return lines.size();
            }

            @Override
            public Line line(int index) {
                return lines.get(index);
            }
        });
    }

    /** The date's statement requests answer {@code status} (problem+json), as bank-adapter does when the bank is out. */
    public static void failing(LocalDate date, int status) {
        statement(date, new Statement() {
            @Override
            public int size() {
                return 0;
            }

            @Override
            public Line line(int index) {
                throw new IndexOutOfBoundsException();
            }

            @Override
            public int failWith() {
                return status;
            }
        });
    }

    /** Requests for the date's statement so far (every page, whatever the answer). */
    public static int calls(LocalDate date) {
        AtomicInteger n = CALLS.get(date);
        return n == null ? 0 : n.get();
    }

    /** The requests whose token passed the checks. */
    public static List<Call> accepted(LocalDate date) {
        return ACCEPTED.stream().filter(c -> c.date().equals(date)).toList();
    }

    // --- the endpoint ---

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI());
            LocalDate date = LocalDate.parse(query.get("date"));
            int page = Integer.parseInt(query.get("page"));
            int size = Integer.parseInt(query.get("size"));
            CALLS.computeIfAbsent(date, d -> new AtomicInteger()).incrementAndGet();
            JsonNode claims = verified(exchange.getRequestHeaders().getFirst("Authorization"));
            if (claims == null || !"ledger-service".equals(claims.path("sub").asText())
                    || !groups(claims).contains("statement-reader") || !Tokens.ISSUER.equals(claims.path("iss").asText())
                    || !Tokens.AUDIENCE.equals(claims.path("aud").asText())
                    || claims.path("exp").asLong() * 1000 < System.currentTimeMillis()) {
                problem(exchange, 401, "UNAUTHORIZED");
                return;
            }
            if (size < 1 || size > 5000 || page < 0) {
                problem(exchange, 400, "VALIDATION_FAILED");
                return;
            }
            ACCEPTED.add(new Call(date, page, size, claims.path("sub").asText(), groups(claims),
                    claims.path("iss").asText(), claims.path("exp").asLong() - claims.path("iat").asLong()));
            Statement statement = STATEMENTS.getOrDefault(date, EMPTY);
            if (statement.failWith() != 0) {
                problem(exchange, statement.failWith(), "BANK_UNAVAILABLE");
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("date", date.toString());
            body.put("page", page);
            body.put("size", size);
            ArrayNode lines = body.putArray("lines");
            long from = (long) page * size;
            long to = Math.min(statement.size(), from + size);
            for (long i = from; i < to; i++) {
                Line l = statement.line((int) i);
                ObjectNode n = lines.addObject();
                n.put("bank_tran_id", l.bankTranId());
                n.put("amount_minor", l.amountMinor());
                n.put("currency", l.currency());
                n.put("executed_at", date + "T10:00:00+09:00");
            }
            body.put("has_more", to < statement.size());
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final Statement EMPTY = new Statement() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public Line line(int index) {
            throw new IndexOutOfBoundsException();
        }
    };

    /** The token's claims if its RS256 signature verifies with the test key, else null. */
    private static JsonNode verified(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring(7).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText()) || !Tokens.KEY.kid().equals(header.path("kid").asText())) {
                return null;
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(Tokens.publicKey());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            return null;
        }
    }

    private static List<String> groups(JsonNode claims) {
        return claims.path("groups").isArray()
                ? java.util.stream.StreamSupport.stream(claims.path("groups").spliterator(), false)
                .map(JsonNode::asText).toList()
                : List.of();
    }

    private static void problem(HttpExchange exchange, int status, String code) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "urn:payout:problem:" + code.toLowerCase().replace('_', '-'));
        body.put("status", status);
        body.put("code", code);
        body.put("detail", "stub answered " + status);
        send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
