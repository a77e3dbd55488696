package io.payout.ledger.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A ledger account. Balances are never stored here: a customer account's current balance is its maintained
 * {@code account_balances} row, and every balance (also as of a past instant) can be derived from the append-only
 * entries.
 */
@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {
    @Id
    public String id;
    /** ISO 4217 code; every entry on the account is in this currency. */
    public String currency;
    /** The client (JWT {@code sub}) allowed to move money out; null for internal accounts. */
    public String owner;
    @Enumerated(EnumType.STRING)
    public AccountKind kind;
    public Instant createdAt;
}
