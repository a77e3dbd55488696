package io.payout.testsupport;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What the database lets a service's runtime role do (docs/operating/README.md "Database roles"), as tests a
 * {@code @QuarkusTest} class inherits by extending this with the grants its migrations decided, table by table. The
 * service runs as that role (ServiceTestResource), so its own suite proves the grants suffice; these prove they go no
 * further: no DDL, no TRUNCATE, no DELETE, no UPDATE of an append-only table, no migration history, no other
 * service's database, nothing owned, nothing inherited. A table the migrations add without a decision here fails.
 */
public abstract class DatabaseRoleContract {
    /** PostgreSQL's insufficient_privilege: "permission denied for …", "must be owner of …". */
    protected static final String DENIED = "42501";
    private static final List<String> TABLE_PRIVILEGES =
            List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER");
    private static final String FLYWAY_HISTORY = "flyway_schema_history";
    /** Read and appended to, never rewritten: journals, audit trails, histories, evidence. */
    protected static final Set<String> APPEND_ONLY = Set.of("SELECT", "INSERT");
    protected static final Set<String> UPDATABLE = Set.of("SELECT", "INSERT", "UPDATE");

    /**
     * Every table of the service's schema and the privileges its runtime role has on it, e.g. {@code "outbox" ->
     * Set.of("SELECT", "INSERT", "UPDATE")}. The migration history is the contract's: no privilege at all.
     */
    protected abstract Map<String, Set<String>> grants();

    /** The service's own tables plus the platform's, which every service has with the same grants. */
    @SafeVarargs
    protected static Map<String, Set<String>> withPlatformTables(Map.Entry<String, Set<String>>... serviceTables) {
        Map<String, Set<String>> all = new TreeMap<>(Map.ofEntries(serviceTables));
        all.put("outbox", UPDATABLE); // the relay marks rows published
        all.put("dead_letters", UPDATABLE); // a replay counts itself on its row
        all.put("ops_audit", APPEND_ONLY);
        return all;
    }

    /** Sequences the role draws from (USAGE only, for {@code nextval} of a serial column). */
    protected Set<String> sequences() {
        return Set.of();
    }

    protected static String runtimeRole() {
        return ConfigProvider.getConfig().getValue("payout.db.runtime-user", String.class);
    }

    @Test
    public void everyTableHasItsGrantsDecidedAndTheRoleHasNoOthers() {
        Map<String, Set<String>> expected = new TreeMap<>(grants());
        expected.put(FLYWAY_HISTORY, Set.of());
        Map<String, Set<String>> actual = privilegesByName("""
                select c.relname as name, p.privilege
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  left join unnest(string_to_array(?, ',')) p (privilege) on has_table_privilege(?, c.oid, p.privilege)
                 where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')""",
                String.join(",", TABLE_PRIVILEGES), runtimeRole());
        assertThat(actual).as("table -> privileges of " + runtimeRole() + " (a new table needs its grant decided"
                + " in a migration and here)").isEqualTo(normalized(expected));

        assertThat(owner("""
                select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
                  join pg_namespace n on n.oid = c.relnamespace, aclexplode(a.attacl) x
                 where n.nspname = 'public' and x.grantee = to_regrole(?)""", runtimeRole()))
                .as("column-level grants").isEmpty();

        Map<String, Set<String>> sequencePrivileges = privilegesByName("""
                select c.relname as name, p.privilege
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  left join unnest(array['USAGE', 'SELECT', 'UPDATE']) p (privilege)
                         on has_sequence_privilege(?, c.oid, p.privilege)
                 where n.nspname = 'public' and c.relkind = 'S'""", runtimeRole());
        Map<String, Set<String>> expectedSequences = new TreeMap<>();
        sequencePrivileges.keySet().forEach(s -> expectedSequences.put(s, Set.of()));
        sequences().forEach(s -> expectedSequences.put(s, Set.of("USAGE")));
        assertThat(sequencePrivileges).as("sequence -> privileges").isEqualTo(normalized(expectedSequences));

        assertThat(owner("""
                select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'public' and has_function_privilege(?, p.oid, 'EXECUTE')""", runtimeRole()))
                .as("functions the role may call directly").isEmpty();
    }

    @Test
    public void theRoleLogsInButOwnsInheritsAndMayCreateNothing() {
        List<Map<String, Object>> attributes = owner("""
                select rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolinherit, rolreplication, rolbypassrls
                  from pg_roles where rolname = ?""", runtimeRole());
        assertThat(attributes).containsExactly(Map.of("rolcanlogin", true, "rolsuper", false, "rolcreatedb", false,
                "rolcreaterole", false, "rolinherit", false, "rolreplication", false, "rolbypassrls", false));
        assertThat(owner("select roleid::regrole::text as role from pg_auth_members where member = to_regrole(?)",
                runtimeRole())).as("roles it is a member of").isEmpty();
        assertThat(owner("""
                select 'relation ' || relname as owned from pg_class where relowner = to_regrole(?)
                union all select 'function ' || proname from pg_proc where proowner = to_regrole(?)
                union all select 'schema ' || nspname from pg_namespace where nspowner = to_regrole(?)
                union all select 'type ' || typname from pg_type where typowner = to_regrole(?)
                union all select 'database ' || datname from pg_database where datdba = to_regrole(?)""",
                runtimeRole(), runtimeRole(), runtimeRole(), runtimeRole(), runtimeRole()))
                .as("what it owns").isEmpty();
    }

    @Test
    public void theRoleCannotChangeTheSchema() {
        List<String> ddl = new ArrayList<>(List.of(
                "create table forged (id int)",
                "create temporary table forged (id int)",
                "create schema forged",
                "create function forged() returns int language sql as 'select 1'",
                "set role " + TestInfra.PG_USER));
        for (String table : grants().keySet()) {
            ddl.add("alter table " + table + " add column forged text");
            ddl.add("alter table " + table + " disable trigger all");
            ddl.add("create index forged on " + table + " (" + firstColumn(table) + ")");
            ddl.add("drop table " + table);
        }
        for (Map<String, Object> trigger : owner("""
                select t.tgname as trigger, c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid
                  join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and not t.tgisinternal""")) {
            ddl.add("drop trigger " + trigger.get("trigger") + " on " + trigger.get("table"));
            ddl.add("alter table " + trigger.get("table") + " disable trigger " + trigger.get("trigger"));
        }
        assertThat(ddl).as("the schema has triggers to protect").anyMatch(s -> s.startsWith("drop trigger"));
        ddl.forEach(DatabaseRoleContract::refused);
    }

    @Test
    public void theRoleCannotTruncateAnyTableNorDeleteWhereNotGranted() {
        for (Map.Entry<String, Set<String>> table : grants().entrySet()) {
            refused("truncate " + table.getKey() + " cascade");
            if (!table.getValue().contains("DELETE")) {
                refused("delete from " + table.getKey());
            }
        }
    }

    /** Append-only tables (the journal, the ops audit, history, evidence): refused by permission, before any trigger. */
    @Test
    public void whatIsNotGrantedIsRefusedByPermissionIncludingUpdatesOfAppendOnlyTables() {
        List<String> appendOnly = grants().entrySet().stream()
                .filter(e -> e.getValue().equals(Set.of("SELECT", "INSERT"))).map(Map.Entry::getKey).sorted().toList();
        assertThat(appendOnly).contains("ops_audit");
        for (Map.Entry<String, Set<String>> table : grants().entrySet()) {
            String column = firstColumn(table.getKey());
            if (!table.getValue().contains("UPDATE")) {
                refused("update " + table.getKey() + " set " + column + " = " + column);
            }
            if (!table.getValue().contains("INSERT")) {
                refused("insert into " + table.getKey() + " default values");
            }
            if (!table.getValue().contains("SELECT")) {
                refused("select count(*) from " + table.getKey());
            }
        }
    }

    @Test
    public void theMigrationHistoryIsOutOfReach() {
        refused("select * from " + FLYWAY_HISTORY);
        refused("update " + FLYWAY_HISTORY + " set checksum = 0");
        refused("delete from " + FLYWAY_HISTORY);
        refused("insert into " + FLYWAY_HISTORY + " default values");
    }

    /** Each service's database admits its own role only: every other service's role is refused at connect. */
    @Test
    public void noOtherServicesRoleCanConnectAndPublicHasNoRightsOnTheDatabase() {
        List<String> others = TestInfra.RUNTIME_ROLES.stream().filter(r -> !r.equals(runtimeRole())).toList();
        assertThat(others).hasSize(TestInfra.RUNTIME_ROLES.size() - 1);
        for (String other : others) {
            assertThatThrownBy(() -> TestInfra.connectAs(other, database()).close()).as(other)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(DENIED));
        }
        assertThat(owner("""
                select x.privilege_type from pg_database d, aclexplode(d.datacl) x
                 where d.datname = current_database() and x.grantee = 0""")).as("PUBLIC's rights").isEmpty();
        assertThat(owner("""
                select x.privilege_type from pg_database d, aclexplode(d.datacl) x
                 where d.datname = current_database() and x.grantee = to_regrole(?)""", runtimeRole()))
                .containsExactly(Map.of("privilege_type", "CONNECT"));
    }

    /**
     * The application's sessions on its database are the runtime role's, and the owner (who only migrated) has none
     * left. Each role counts its own sessions: PostgreSQL shows a session's database only to its own role.
     */
    @Test
    public void theServiceRunsAsItsRuntimeRole() throws SQLException {
        String others = """
                select count(*) from pg_stat_activity
                 where usename = current_user and datname = current_database() and pid <> pg_backend_pid()""";
        // readiness checks the datasources: the application opens (and pools) its connections to answer it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/q/health/ready").then().statusCode(200);
            try (Connection c = TestInfra.connectAs(runtimeRole(), database()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(others)) {
                rs.next();
                assertThat(rs.getLong(1)).as("sessions of " + runtimeRole()).isPositive();
            }
        });
        assertThat(owner(others)).containsExactly(Map.of("count", 0L));
    }

    /** Rows of (name, privilege or null) as name -> privileges; a name whose only row has null has none. */
    private static Map<String, Set<String>> privilegesByName(String sql, Object... params) {
        Map<String, Set<String>> byName = new TreeMap<>();
        for (Map<String, Object> row : owner(sql, params)) {
            Set<String> privileges = byName.computeIfAbsent((String) row.get("name"), n -> new TreeSet<>());
            if (row.get("privilege") != null) {
                privileges.add((String) row.get("privilege"));
            }
        }
        return byName;
    }

    private static Map<String, Set<String>> normalized(Map<String, Set<String>> m) {
        Map<String, Set<String>> sorted = new TreeMap<>();
        m.forEach((k, v) -> sorted.put(k, new TreeSet<>(v)));
        return sorted;
    }

    private static String firstColumn(String table) {
        return (String) owner("""
                select a.attname from pg_attribute a where a.attrelid = to_regclass(?) and a.attnum > 0
                   and not a.attisdropped order by a.attnum limit 1""", table).getFirst().get("attname");
    }

    private static String database() {
        return ServiceTestResource.database();
    }

    private static List<Map<String, Object>> owner(String sql, Object... params) {
        return Rows.query(database(), sql, params);
    }

    /** Run as the runtime role in a transaction that is always rolled back: refused, or the test fails unharmed. */
    protected static void refused(String sql) {
        try (Connection c = TestInfra.connectAs(runtimeRole(), database())) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql + ": " + e.getMessage())
                                .isEqualTo(DENIED));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect as " + runtimeRole(), e);
        }
    }
}
