package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * One transfer's call to the bank. The row is inserted and committed before the bank is called; the primary key
 * makes a transfer dispatch once and the unique {@code externalRef} is the key the bank dedupes on (SPEC §5).
 * Changed only by the conditional updates in {@link Dispatches}; read here.
 */
@Entity
@Table(name = "dispatches")
public class Dispatch extends PanacheEntityBase {
    public static final String CALLING = "CALLING";
    /** The bank was not called (breaker open, bulkhead full): the retry loop calls it at {@code nextAttemptAt}. */
    public static final String WAITING = "WAITING";

    @Id
    public UUID transferId;
    /** Deterministic from the transfer intent: a retry of one intent always gets the same ref. */
    public String externalRef;
    /** The request sent (or about to be sent) to the bank, as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode request;
    /** The classified answer of the bank's latest answer (ACCEPTED, UNKNOWN, PROCESSING, …); null until known. */
    public String outcome;
    /** CALLING, WAITING, ACCEPTED, UNKNOWN, then final: SUCCEEDED, FAILED, COLLISION. */
    public String status = CALLING;
    public String reason;
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode lastAnswer;
    public String collisionDetail;
    /** Bank calls made with this ref; also the version an inquiry's NOT_FOUND verdict is conditional on. */
    public int calls;
    public Instant lastCallAt;
    /** For a WAITING row: when the retry loop may call the bank (while a loop is calling: the end of its lease). */
    public Instant nextAttemptAt;
    /** How many times the bank could not be called for this dispatch (breaker open, bulkhead full). */
    public int waits;
    /** The W3C trace context of the command that had to wait: the retry loop continues that trace. */
    public String traceparent;
    public Instant createdAt;
    public Instant updatedAt;
}
