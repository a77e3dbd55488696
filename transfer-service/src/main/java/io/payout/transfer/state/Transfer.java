package io.payout.transfer.state;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** One transfer intent. Rows are created by {@code TransferIntake} and moved only by conditional updates. */
@Entity
@Table(name = "transfers")
public class Transfer extends PanacheEntityBase {
    @Id
    public UUID id;
    public String clientId;
    public String clientRequestId;
    public String requestFingerprint;
    @Enumerated(EnumType.STRING)
    public TransferState state;
    public boolean holdPlaced;
    public String sourceAccount;
    public String destBankCode;
    public String destAccountNumber;
    public long amountMinor;
    public String currency;
    public String memo;
    public LocalDate valueDate;
    public String externalRef;
    public String failureReason;
    /** The trace of the accepting request, for ops; null when tracing was off. */
    public String traceId;
    public Instant createdAt;
    public Instant updatedAt;
    public int responseStatus;
    public String responseBody;
}
