package io.payout.ledger.db;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * Column values of native queries, whatever Java type the driver chose for them. The ledger reads through native
 * SQL on the caller's {@code Mutiny.Session} (so reads and writes share one transaction); the reactive driver's
 * mapping of {@code timestamptz}, {@code uuid} and {@code numeric} is not something to depend on.
 */
public final class Columns {
    private Columns() {
    }

    public static String text(Object v) {
        return v == null ? null : v.toString();
    }

    public static long longValue(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).longValueExact();
        }
        return Long.parseLong(v.toString());
    }

    /** Sums of bigint columns are numeric in PostgreSQL: kept exact, whatever their size. */
    public static BigInteger bigInteger(Object v) {
        if (v == null) {
            return BigInteger.ZERO;
        }
        return new BigDecimal(v.toString()).toBigIntegerExact();
    }

    public static UUID uuid(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof UUID u ? u : UUID.fromString(v.toString());
    }

    public static Instant instant(Object v) {
        return switch (v) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case ZonedDateTime z -> z.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            case java.util.Date d -> d.toInstant();
            // a zone-less value (LocalDateTime) would have to be guessed at: fail loudly instead
            default -> OffsetDateTime.parse(v.toString()).toInstant();
        };
    }

    /** An instant as a {@code timestamptz} parameter. */
    public static OffsetDateTime param(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
