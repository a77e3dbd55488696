package io.payout.transfer.state;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One step of a transfer's life, appended in the same transaction as the state change. */
@Entity
@Table(name = "transfer_history")
@IdClass(TransferHistory.Key.class)
public class TransferHistory extends PanacheEntityBase {
    @Id
    public UUID transferId;
    @Id
    public int seq;
    @Enumerated(EnumType.STRING)
    public TransferState state;
    public Instant at;
    public String reason;

    public record Key(UUID transferId, int seq) implements Serializable {
        public Key() {
            this(null, 0);
        }
    }
}
