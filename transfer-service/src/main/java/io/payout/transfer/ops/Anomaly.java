package io.payout.transfer.ops;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A result that contradicts a terminal state, or an external_ref collision: for ops, never acted on. */
@Entity
@Table(name = "anomalies")
public class Anomaly extends PanacheEntityBase {
    @Id
    public UUID id;
    public UUID transferId;
    public String kind;
    public String detail;
    public UUID messageId;
    public Instant createdAt;
}
