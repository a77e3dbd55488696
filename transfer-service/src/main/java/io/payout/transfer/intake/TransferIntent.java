package io.payout.transfer.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A validated, normalized transfer request: what the client asked for, independent of how it was spelled
 * (account-number separators, currency case, key order). Two requests with the same intent have the same
 * {@link #fingerprint()}.
 */
public record TransferIntent(String sourceAccount, String bankCode, String accountNumber, long amountMinor,
                             String currency, String memo) {

    /** SHA-256 over the normalized fields, length-prefixed so no two field splits collide. */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder("v1");
        for (String field : new String[]{sourceAccount, bankCode, accountNumber, Long.toString(amountMinor), currency,
                memo == null ? "\u0000" : memo}) {
            canonical.append('|').append(field.length()).append(':').append(field);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
