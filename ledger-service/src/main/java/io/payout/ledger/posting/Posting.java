package io.payout.ledger.posting;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One balanced double-entry posting: two or more legs in one currency summing to zero. Checked here so a bug fails
 * before the database is asked; the database checks it again at commit ({@code postings_balanced}, V2).
 *
 * @param transferId  the transfer of a HOLD, SETTLE or RELEASE; null for a deposit
 * @param reference   the deposit's reference; null otherwise
 * @param externalRef the bank's reference of a SETTLE (reconciliation matches on it), or of a RELEASE of a
 *                    dispatched transfer (names the transfer of a bank line with no settle); null otherwise
 * @param valueDate   the transfer's value date on a SETTLE (the statement it belongs on); null when the producer
 *                    did not send one, and on every other kind
 */
public record Posting(UUID id, PostingKind kind, UUID transferId, String reference, String externalRef,
                      LocalDate valueDate, String currency, List<Leg> legs) {

    /** One entry: negative leaves the account, positive enters it. */
    public record Leg(String accountId, long amountMinor) {
    }

    public Posting {
        legs = List.copyOf(legs);
        if (legs.size() < 2) {
            throw new IllegalArgumentException("a posting needs at least two entries");
        }
        long sum = 0;
        for (Leg leg : legs) {
            if (leg.amountMinor() == 0) {
                throw new IllegalArgumentException("an entry cannot be zero");
            }
            sum = Math.addExact(sum, leg.amountMinor());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("entries of a posting must sum to zero, not " + sum);
        }
    }

    /** The usual two-leg posting: {@code amount} moves from {@code from} to {@code to}. */
    public static Posting move(UUID id, PostingKind kind, UUID transferId, String reference, String externalRef,
                               String currency, String from, String to, long amountMinor) {
        return move(id, kind, transferId, reference, externalRef, null, currency, from, to, amountMinor);
    }

    /** A two-leg posting with a value date (a SETTLE). */
    public static Posting move(UUID id, PostingKind kind, UUID transferId, String reference, String externalRef,
                               LocalDate valueDate, String currency, String from, String to, long amountMinor) {
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("amount must be positive, not " + amountMinor);
        }
        return new Posting(id, kind, transferId, reference, externalRef, valueDate, currency,
                List.of(new Leg(from, -amountMinor), new Leg(to, amountMinor)));
    }
}
