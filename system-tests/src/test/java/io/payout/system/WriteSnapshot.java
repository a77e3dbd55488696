package io.payout.system;

import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.TestInfra;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Everything the stack can have written, counted from outside: the row count of every table of the four services'
 * databases (discovered from the catalog, so a new table is covered without touching this class), every message
 * published on the {@code payout} exchange (a probe queue bound with {@code #}), and the sandbox bank's executions.
 * Two equal snapshots around a request prove that it wrote, published and withdrew nothing.
 */
final class WriteSnapshot implements AutoCloseable {
    static final List<String> SERVICES = List.of("transfer", "ledger", "bank_adapter", "webhook");
    /** Long enough for the outbox relay and the saga's consumers to act on something just written. */
    private static final Duration SETTLE_INTERVAL = Duration.ofMillis(400);
    private static final Duration QUIET_WAIT = Duration.ofSeconds(60);

    private final Payout payout;
    private final BrokerProbe published;
    /** One connection per database for the whole suite: a snapshot is taken several times per case. */
    private final Map<String, Connection> connections = new TreeMap<>();
    /** What {@link #quiet()} last settled on: the previous case's "after" is usually the next case's "before". */
    private State lastQuiet;

    /** What the stack holds at one instant: table → rows, messages published since the probe was bound, executions. */
    record State(Map<String, Long> rows, int messages, Map<String, Integer> executions) {
        /** The differences from {@code earlier}, one line each; empty when nothing was written. */
        List<String> changesSince(State earlier) {
            List<String> changes = new ArrayList<>();
            var tables = new java.util.TreeSet<>(rows.keySet());
            tables.addAll(earlier.rows.keySet());
            for (String t : tables) {
                if (!Objects.equals(rows.get(t), earlier.rows.get(t))) {
                    changes.add(t + ": " + earlier.rows.get(t) + " → " + rows.get(t) + " rows");
                }
            }
            if (messages != earlier.messages) {
                changes.add("broker: " + (messages - earlier.messages) + " message(s) published");
            }
            if (!executions.equals(earlier.executions)) {
                changes.add("bank executions: " + earlier.executions + " → " + executions);
            }
            return changes;
        }
    }

    /** {@code stack} is {@code payout}'s: its databases are on the shared PostgreSQL, counted as their owner. */
    WriteSnapshot(Payout payout, LocalStack stack) {
        this.payout = payout;
        this.published = BrokerProbe.bind(stack.vhost(), "#");
        try {
            for (String svc : SERVICES) {
                connections.put(svc, TestInfra.connect(stack.database(svc)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current state. */
    State now() {
        Map<String, Long> rows = new TreeMap<>();
        for (String svc : SERVICES) {
            rows.putAll(rowCounts(svc));
        }
        return new State(rows, published.received().size(), payout.executions());
    }

    /**
     * The state once background work (outbox relay, consumers, schedulers) has settled: two snapshots
     * {@link #SETTLE_INTERVAL} apart that agree. Bounded: a stack that never settles fails the case that waited.
     */
    State quiet() {
        State[] last = {now()};
        State settled = await("the stack to stop writing").atMost(QUIET_WAIT).pollDelay(SETTLE_INTERVAL)
                .pollInterval(SETTLE_INTERVAL).until(() -> {
                    State previous = last[0];
                    last[0] = now();
                    return last[0].equals(previous) ? last[0] : null;
                }, Objects::nonNull);
        lastQuiet = settled;
        return settled;
    }

    /**
     * The state before a request: one count when it still equals the last settled state (the stack stayed quiet since,
     * so the settle wait would only repeat it), otherwise {@link #quiet()}.
     */
    State before() {
        State current = now();
        return current.equals(lastQuiet) ? current : quiet();
    }

    /** service.table → rows, for every base table of the service's database (the catalog, then one query). */
    private Map<String, Long> rowCounts(String service) {
        Map<String, Long> rows = new TreeMap<>();
        try (Statement st = connections.get(service).createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("""
                    select quote_ident(table_schema) || '.' || quote_ident(table_name)
                      from information_schema.tables
                     where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            String counts = tables.stream()
                    .map(t -> "select '" + t.replace("'", "''") + "', count(*) from " + t)
                    .collect(Collectors.joining(" union all "));
            try (ResultSet rs = st.executeQuery(counts)) {
                while (rs.next()) {
                    rows.put(service + "." + rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows of " + service, e);
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        for (Connection c : connections.values()) {
            c.close();
        }
        published.close();
    }
}
