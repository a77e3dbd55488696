package io.payout.system;

import io.payout.testsupport.TestInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stack up.sh starts runs each service as its own runtime role (docs/operating/README.md "Database roles"), not as the
 * owner that migrated its database, and no service's role can even connect to another service's database.
 */
@ExtendWith(SharedStack.class)
class DatabaseRolesIT {
    private static final List<String> SERVICES = List.of("transfer", "ledger", "bank_adapter", "webhook");
    /** Sessions on the current database of the connecting role, other than this one (a role sees only its own). */
    private static final String OWN_OTHER_SESSIONS = """
            select count(*) from pg_stat_activity
             where usename = current_user and datname = current_database() and pid <> pg_backend_pid()""";

    @Test
    void everyServiceIsConnectedAsItsRuntimeRoleAndTheOwnerIsNot() throws SQLException {
        LocalStack stack = SharedStack.stack();
        for (String svc : SERVICES) {
            String db = stack.database(svc);
            try (Connection c = TestInfra.connectAs(stack.runtimeRole(svc), db)) {
                assertThat(count(c, OWN_OTHER_SESSIONS)).as(svc + ": sessions of " + stack.runtimeRole(svc))
                        .isPositive();
            }
            try (Connection c = TestInfra.connect(db)) {
                assertThat(count(c, OWN_OTHER_SESSIONS)).as(svc + ": sessions of the owner").isZero();
            }
        }
    }

    @Test
    void noServicesRoleCanConnectToAnotherServicesDatabase() {
        LocalStack stack = SharedStack.stack();
        for (String svc : SERVICES) {
            for (String other : SERVICES) {
                if (other.equals(svc)) {
                    continue;
                }
                assertThatThrownBy(() -> TestInfra.connectAs(stack.runtimeRole(svc), stack.database(other)).close())
                        .as(svc + " -> " + other + "'s database").isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied for database")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
