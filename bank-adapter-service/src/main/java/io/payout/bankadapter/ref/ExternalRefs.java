package io.payout.bankadapter.ref;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The {@code external_ref} (the bank's {@code bank_tran_id}) of a transfer intent (SPEC §5): the 10-character
 * institution code, {@code U}, and the first 9 characters of the RFC 4648 base32 (upper case, no padding) of
 * SHA-256({@code v1|client_id|client_request_id|source_account|bank_code|account_number|amount_minor|currency|value_date})
 * over the {@linkplain Intent normalized} fields. 20 characters, as Korean open banking requires.
 * <p>
 * Pure: no clock, no random, no attempt counter. A retry of one intent gets the same ref (so the bank's own
 * dedupe stops a second withdrawal); two identical-looking transfers differ in {@code client_request_id} and get
 * different refs. 9 base32 characters are 45 bits: collisions are rare but possible, which is why a duplicate
 * answer whose original differs from our intent is a collision, never a success, and why {@code external_ref} is
 * UNIQUE in our own table.
 */
public final class ExternalRefs {
    public static final int LENGTH = 20;
    public static final int HASH_CHARS = 9;
    private static final Pattern INSTITUTION_CODE = Pattern.compile("[A-Z0-9]{10}");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final String institutionCode;

    public ExternalRefs(String institutionCode) {
        if (institutionCode == null || !INSTITUTION_CODE.matcher(institutionCode).matches()) {
            throw new IllegalArgumentException("institution code must be 10 characters A-Z 0-9, got " + institutionCode);
        }
        this.institutionCode = institutionCode;
    }

    public String of(Intent intent) {
        return institutionCode + "U" + base32(sha256(canonical(intent)), HASH_CHARS);
    }

    /**
     * The hashed text. A {@code |} or {@code \} inside a field is escaped with {@code \}, so that no two different
     * field splits ({@code client_id "a|b"} + {@code "c"} vs {@code "a"} + {@code "b|c"}) hash the same text;
     * ordinary values contain neither and hash exactly the documented string.
     */
    static String canonical(Intent i) {
        StringBuilder s = new StringBuilder("v1");
        for (String field : new String[]{i.clientId(), i.clientRequestId(), i.sourceAccount(), i.bankCode(),
                i.accountNumber(), Long.toString(i.amountMinor()), i.currency(), i.valueDate().toString()}) {
            s.append('|').append(field.replace("\\", "\\\\").replace("|", "\\|"));
        }
        return s.toString();
    }

    /** The first {@code chars} characters of the RFC 4648 base32 encoding of {@code bytes}. */
    static String base32(byte[] bytes, int chars) {
        StringBuilder out = new StringBuilder(chars);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < bytes.length && out.length() < chars; i++) {
            buffer = (buffer << 8) | (bytes[i] & 0xFF);
            bits += 8;
            while (bits >= 5 && out.length() < chars) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 0x1F]);
                bits -= 5;
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
