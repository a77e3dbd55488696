package io.payout.platform.api;

/** Rules for free text that ends up in the database and in other systems. */
public final class Text {
    private Text() {
    }

    /**
     * No control characters (PostgreSQL cannot even store NUL) and no unpaired UTF-16 surrogates (not valid UTF-8,
     * so not storable either).
     */
    public static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
