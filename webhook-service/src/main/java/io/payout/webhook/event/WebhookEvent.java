package io.payout.webhook.event;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;

/**
 * A bank webhook as received, keyed by its {@code eventId}: inserted before anything else happens, so a duplicate
 * notification hits the primary key and is forwarded nowhere (SPEC §6).
 */
@Entity
@Table(name = "webhook_events")
public class WebhookEvent extends PanacheEntityBase {
    /** {@code webhook-id}, or SHA-256 of the normalized payload when the bank gives none. */
    @Id
    public String eventId;
    public Instant receivedAt;
    /** The request headers that matter for audit (webhook-id, webhook-timestamp, ...), lower-case names. */
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, String> headers;
    /** The raw body exactly as it was signed. */
    public String body;
    public String eventType;
}
