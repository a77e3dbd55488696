package io.payout.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Direct SQL counts on the database of the application under test: what really got written. */
public final class Rows {
    private Rows() {
    }

    public static long count(String sql, Object... params) {
        try (Connection c = TestInfra.connect(ServiceTestResource.database());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static long table(String table) {
        return count("select count(*) from " + table);
    }
}
