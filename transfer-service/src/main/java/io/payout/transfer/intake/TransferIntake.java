package io.payout.transfer.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.platform.outbox.Ids;
import io.payout.platform.outbox.Outbox;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.tracing.TraceIds;
import io.payout.transfer.api.TransferView;
import io.payout.transfer.config.TransferConfig;
import io.payout.transfer.saga.LedgerHold;
import io.payout.transfer.state.Transfer;
import io.payout.transfer.state.TransferHistory;
import io.payout.transfer.state.TransferRepository;
import io.payout.transfer.state.TransferState;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Accepts a transfer exactly once per (client_id, client_request_id).
 * <p>
 * The row is inserted with {@code ON CONFLICT DO NOTHING} on that unique key: of any number of concurrent
 * requests with one key, exactly one inserts; the others wait for its commit, insert nothing and read the winner's
 * row. The winner commits, in one transaction, the transfer, its first history entry, the {@code ledger.hold}
 * command in the outbox and its own answer, which every later request with the same key and the same intent gets
 * back verbatim. The same key with another intent is refused and changes nothing.
 */
@ApplicationScoped
public class TransferIntake {
    private static final String INSERT_IF_ABSENT = """
            insert into transfers (id, client_id, client_request_id, request_fingerprint, state, source_account,
                                   dest_bank_code, dest_account_number, amount_minor, currency, memo, value_date,
                                   trace_id, created_at, updated_at, response_status, response_body)
            values (:id, :client, :key, :fingerprint, :state, :source, :bank, :account, :amount, :currency, :memo,
                    :valueDate, :traceId, :at, :at, :status, :body)
            on conflict (client_id, client_request_id) do nothing""";
    private static final String INSERT_HISTORY = """
            insert into transfer_history (transfer_id, seq, state, at) values (:id, 1, :state, :at)""";

    private final TransferRepository transfers;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final TransferConfig config;
    private final IntakeMetrics metrics;
    private final Clock clock;

    public TransferIntake(TransferRepository transfers, Outbox outbox, ObjectMapper mapper, TransferConfig config,
                          IntakeMetrics metrics) {
        this.transfers = transfers;
        this.outbox = outbox;
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
        this.clock = Clock.systemUTC();
    }

    @WithTransaction
    public Uni<IntakeResult> submit(String clientId, String clientRequestId, TransferIntent intent) {
        Transfer t = newTransfer(clientId, clientRequestId, intent);
        return Panache.getSession().flatMap(session -> insertIfAbsent(session, t)
                .flatMap(inserted -> inserted
                        ? recordAcceptance(session, t)
                        : replay(clientId, clientRequestId, t.requestFingerprint)));
    }

    private Transfer newTransfer(String clientId, String clientRequestId, TransferIntent intent) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Transfer t = new Transfer();
        t.id = Ids.uuidV7();
        t.clientId = clientId;
        t.clientRequestId = clientRequestId;
        t.requestFingerprint = intent.fingerprint();
        t.state = TransferState.PENDING;
        t.sourceAccount = intent.sourceAccount();
        t.destBankCode = intent.bankCode();
        t.destAccountNumber = intent.accountNumber();
        t.amountMinor = intent.amountMinor();
        t.currency = intent.currency();
        t.memo = intent.memo();
        t.valueDate = LocalDate.ofInstant(now, config.valueDateZone());
        t.traceId = TraceIds.currentTraceId();
        t.createdAt = now;
        t.updatedAt = now;
        TransferHistory first = new TransferHistory();
        first.transferId = t.id;
        first.seq = 1;
        first.state = TransferState.PENDING;
        first.at = now;
        t.responseStatus = 201;
        t.responseBody = json(TransferView.of(t, List.of(first)));
        return t;
    }

    private Uni<Boolean> insertIfAbsent(Mutiny.Session session, Transfer t) {
        OffsetDateTime at = OffsetDateTime.ofInstant(t.createdAt, ZoneOffset.UTC);
        return session.createNativeQuery(INSERT_IF_ABSENT)
                .setParameter("id", t.id)
                .setParameter("client", t.clientId)
                .setParameter("key", t.clientRequestId)
                .setParameter("fingerprint", t.requestFingerprint)
                .setParameter("state", t.state.name())
                .setParameter("source", t.sourceAccount)
                .setParameter("bank", t.destBankCode)
                .setParameter("account", t.destAccountNumber)
                .setParameter("amount", t.amountMinor)
                .setParameter("currency", t.currency)
                .setParameter("memo", t.memo)
                .setParameter("valueDate", t.valueDate)
                .setParameter("traceId", t.traceId)
                .setParameter("at", at)
                .setParameter("status", t.responseStatus)
                .setParameter("body", t.responseBody)
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    private Uni<IntakeResult> recordAcceptance(Mutiny.Session session, Transfer t) {
        return session.createNativeQuery(INSERT_HISTORY)
                .setParameter("id", t.id)
                .setParameter("state", TransferState.PENDING.name())
                .setParameter("at", OffsetDateTime.ofInstant(t.createdAt, ZoneOffset.UTC))
                .executeUpdate()
                .flatMap(x -> outbox.append(session, LedgerHold.TYPE, t.id.toString(),
                        new LedgerHold(t.id, t.clientId, t.sourceAccount, t.amountMinor, t.currency), t.createdAt))
                .invoke(x -> metrics.accepted(t.currency))
                .replaceWith(new IntakeResult(t.id, t.responseStatus, t.responseBody, false));
    }

    private Uni<IntakeResult> replay(String clientId, String clientRequestId, String fingerprint) {
        return transfers.findByKey(clientId, clientRequestId).map(existing -> {
            if (existing == null) {
                // the conflicting insert rolled back after we waited on it: the client may simply retry
                throw new IllegalStateException("idempotency key conflict without a committed row");
            }
            if (!existing.requestFingerprint.equals(fingerprint)) {
                metrics.keyReused();
                throw ProblemException.of(422, "idempotency-key-reused", "IDEMPOTENCY_KEY_REUSED",
                        "Idempotency key reused with another request",
                        "This Idempotency-Key was first used for a different transfer (" + existing.id
                                + "); use a new key for a new transfer");
            }
            metrics.replayed();
            return new IntakeResult(existing.id, existing.responseStatus, existing.responseBody, true);
        });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exposed for {@link UUID}-typed lookups by the API. */
    public static UUID parseId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
