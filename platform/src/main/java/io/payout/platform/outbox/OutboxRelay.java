package io.payout.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.tracing.TraceIds;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed outbox rows to RabbitMQ. One batch is one transaction:
 * claim rows ({@code FOR UPDATE SKIP LOCKED}, so replicas never publish the same row concurrently), publish each
 * with publisher confirms, mark them published, commit. A crash after the confirm and before the commit leaves the
 * rows unpublished, so they are published again with the same {@code message_id}: at-least-once, never lost;
 * the consumers' inboxes absorb the repeat.
 * <p>
 * It wakes on {@code LISTEN/NOTIFY} (the outbox insert trigger) and polls as a fallback, since notifications are lost
 * while the listening connection is down.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** The emitter's channel: each service configures {@code mp.messaging.outgoing.outbox.*}. */
    public static final String CHANNEL = "outbox";

    private static final String CLAIM = """
            select id, type, aggregate_id, payload::text as payload, traceparent, occurred_at
              from outbox
             where published_at is null
             order by occurred_at
             limit $1
               for update skip locked""";
    private static final String MARK = "update outbox set published_at = now() where id = any($1)";

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final RelayFailpoint failpoint;
    private final Vertx vertx;
    private final String reactiveUrl;
    private final Optional<String> dbUser;
    private final Optional<String> dbPassword;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private volatile boolean stopped;
    private long timerId = -1;
    private PgSubscriber subscriber;

    public OutboxRelay(Pool pool,
                       @Channel(CHANNEL) MutinyEmitter<String> emitter,
                       ObjectMapper mapper,
                       OutboxConfig config,
                       RelayFailpoint failpoint,
                       Vertx vertx,
                       @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
                       @ConfigProperty(name = "quarkus.datasource.username") Optional<String> dbUser,
                       @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        this.pool = pool;
        this.emitter = emitter;
        this.mapper = mapper;
        this.config = config;
        this.failpoint = failpoint;
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.relayEnabled()) {
            LOG.info("outbox relay disabled (payout.outbox.relay-enabled=false)");
            return;
        }
        timerId = vertx.setPeriodic(config.pollIntervalMs(), id -> wake());
        listen();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        if (subscriber != null) {
            subscriber.close();
        }
    }

    private void listen() {
        PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl.replaceFirst("^vertx-reactive:", ""));
        dbUser.ifPresent(options::setUser);
        dbPassword.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(attempt -> stopped ? -1L : config.listenReconnectMs());
        // subscribeHandler runs after every (re)subscription: drain what was committed while we were not listening
        subscriber.channel(config.notifyChannel())
                .subscribeHandler(v -> wake())
                .handler(payload -> wake());
        subscriber.connect().onFailure(e -> {
            LOG.warnf("outbox LISTEN failed (%s); relying on polling every %d ms", e.getMessage(), config.pollIntervalMs());
            if (!stopped) {
                vertx.setTimer(config.listenReconnectMs(), id -> listen());
            }
        });
    }

    /** Asks for a drain; concurrent wake-ups coalesce into one running loop. */
    public void wake() {
        if (stopped) {
            return;
        }
        wakeRequested.set(true);
        if (running.compareAndSet(false, true)) {
            wakeRequested.set(false);
            drainBatch().subscribe().with(
                    published -> {
                        if (published > 0) {
                            LOG.debugf("published %d outbox messages", published);
                        }
                        running.set(false);
                        if (published == config.batchSize() || wakeRequested.get()) {
                            wake();
                        }
                    },
                    failure -> {
                        running.set(false);
                        if (failure instanceof RelayFailpoint.SimulatedCrash) {
                            LOG.warn(failure.getMessage());
                        } else {
                            LOG.warnf("outbox relay batch failed, will retry: %s", failure.toString());
                        }
                    });
        }
    }

    /** One claim-publish-mark transaction; returns how many messages it published. */
    public Uni<Integer> drainBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize()))
                .flatMap(rows -> {
                    List<Uni<Void>> publishes = new ArrayList<>();
                    List<UUID> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getUUID("id"));
                        publishes.add(publish(row));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Uni.join().all(publishes).andFailFast()
                            .flatMap(confirmed -> failpoint.shouldCrashAfterPublish()
                                    ? Uni.createFrom().failure(new RelayFailpoint.SimulatedCrash())
                                    : markPublished(conn, ids))
                            .replaceWith(ids.size());
                }));
    }

    private Uni<Void> markPublished(SqlConnection conn, List<UUID> ids) {
        return conn.preparedQuery(MARK)
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
                .replaceWithVoid();
    }

    private Uni<Void> publish(Row row) {
        UUID id = row.getUUID("id");
        String type = row.getString("type");
        String traceparent = row.getString("traceparent");
        Instant occurredAt = row.getOffsetDateTime("occurred_at").toInstant();
        String body;
        try {
            body = mapper.writeValueAsString(new Envelope(id, type, occurredAt, row.getString("aggregate_id"),
                    mapper.readTree(row.getString("payload"))));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingRabbitMQMetadata.Builder amqp = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(type)
                .withMessageId(id.toString())
                .withType(type)
                .withTimestamp(OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC).toZonedDateTime())
                .withDeliveryMode(2) // persistent
                .withContentType("application/json")
                .withHeader("occurred_at", occurredAt.toString());
        Metadata metadata;
        if (traceparent != null) {
            amqp.withHeader("traceparent", traceparent);
            metadata = Metadata.of(amqp.build(), TracingMetadata.withCurrent(TraceIds.contextOf(traceparent)));
        } else {
            metadata = Metadata.of(amqp.build());
        }
        return emitter.sendMessage(Message.of(body, metadata))
                .ifNoItem().after(Duration.ofMillis(config.publishTimeoutMs()))
                .failWith(() -> new IllegalStateException("no publisher confirm for " + id + " within "
                        + config.publishTimeoutMs() + " ms"));
    }
}
