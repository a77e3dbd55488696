package io.payout.sandbox;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Money leaving the bank once: one statement line. A {@code bank_tran_id} normally has one; the buggy bank of
 * {@code ignore_duplicate_ref} gives it more, each with the amount of the order that caused it, which is exactly what
 * reconciliation must catch as DUPLICATE_AT_BANK.
 *
 * @param valueDate the statement day, in the bank's zone
 */
public record Withdrawal(long amount, String currency, Instant executedAt, LocalDate valueDate) {
}
