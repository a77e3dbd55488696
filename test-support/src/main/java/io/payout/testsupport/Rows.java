package io.payout.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Direct SQL on a service's database: what really got written, read past the service's own code. */
public final class Rows {
    private Rows() {
    }

    /** Rows of a query on the given database, each as column label → value. */
    public static List<Map<String, Object>> query(String database, String sql, Object... params) {
        try (Connection c = TestInfra.connect(database)) {
            return query(c, sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Rows of a query on an open connection (e.g. to a PostgreSQL other than TestInfra's), each as label → value. */
    public static List<Map<String, Object>> query(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A single-number query (e.g. {@code select count(*) …}) on the database of the application under test. */
    public static long count(String sql, Object... params) {
        return ((Number) query(ServiceTestResource.database(), sql, params).get(0).values().iterator().next())
                .longValue();
    }

    public static long table(String table) {
        return count("select count(*) from " + table);
    }
}
