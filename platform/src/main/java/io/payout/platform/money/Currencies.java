package io.payout.platform.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Money as integer minor units. Amounts travel as decimal strings whose scale may not exceed the currency's
 * ISO 4217 minor units (KRW 0, USD 2, BHD 3); they are stored and computed as {@code long} minor units.
 */
public final class Currencies {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    /** Plain decimal: no sign, no exponent, no leading zeros, no grouping. */
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?");

    private Currencies() {
    }

    /** The ISO 4217 currency for an upper-case code, if the JDK knows it and it has a fixed number of minor units. */
    public static Optional<Currency> iso(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        try {
            Currency c = Currency.getInstance(code);
            return c.getDefaultFractionDigits() < 0 ? Optional.empty() : Optional.of(c);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static int minorUnits(String code) {
        return iso(code).orElseThrow(() -> new IllegalArgumentException("not an ISO 4217 currency: " + code))
                .getDefaultFractionDigits();
    }

    /** Outcome of parsing a decimal amount string. */
    public sealed interface Parsed {
        record Ok(long minor) implements Parsed {
        }

        record NotDecimal() implements Parsed {
        }

        record TooManyDecimals(int allowed) implements Parsed {
        }

        record OutOfRange() implements Parsed {
        }
    }

    /** Parses a decimal string into minor units of the currency, never rounding. */
    public static Parsed parse(String decimal, String currencyCode) {
        if (decimal == null || !DECIMAL.matcher(decimal).matches()) {
            return new Parsed.NotDecimal();
        }
        int units = minorUnits(currencyCode);
        BigDecimal value = new BigDecimal(decimal);
        if (value.stripTrailingZeros().scale() > units) {
            return new Parsed.TooManyDecimals(units);
        }
        BigInteger minor = value.movePointRight(units).toBigIntegerExact();
        if (minor.bitLength() > 62) {
            return new Parsed.OutOfRange();
        }
        return new Parsed.Ok(minor.longValueExact());
    }

    /** Minor units back to the canonical decimal string: exactly the currency's scale ("15000", "12.50"). */
    public static String format(long minor, String currencyCode) {
        return BigDecimal.valueOf(minor, minorUnits(currencyCode)).toPlainString();
    }

    public static String normalizeCode(String code) {
        return code == null ? null : code.trim().toUpperCase(Locale.ROOT);
    }
}
