package io.payout.ledger.reconciliation;

import io.payout.ledger.reconciliation.StatementClient.Line;
import io.payout.platform.audit.OpsAction;
import io.payout.platform.audit.OpsAudit;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reconciliation tables. Runs span many short transactions (one per statement page) outside any request's
 * session, and lines go in as arrays ({@code unnest}), so this talks to the reactive pool directly rather than
 * through a Hibernate session; every statement is native SQL as elsewhere in the ledger.
 * <p>
 * Matching is done by the database in one pass ({@link #complete}): memory does not grow with the statement.
 */
@ApplicationScoped
public class Reconciliations {
    static final String MANUAL = "MANUAL";
    static final String SCHEDULED = "SCHEDULED";

    private static final String INSERT_RUN = """
            insert into reconciliations (id, value_date, trigger, status, requested_by, reason)
            values ($1, $2, $3, 'RUNNING', $4, $5)""";
    private static final String HEARTBEAT = """
            update reconciliations set heartbeat_at = now() where id = $1 and status = 'RUNNING'""";
    private static final String INSERT_LINES = """
            insert into reconciliation_lines (reconciliation_id, seq, bank_tran_id, amount_minor, currency, executed_at)
            select $1, $2::bigint + u.i - 1, u.ref, u.amount, u.currency, u.executed_at
              from unnest($3::text[], $4::bigint[], $5::text[], $6::timestamptz[])
                   with ordinality as u (ref, amount, currency, executed_at, i)""";
    /**
     * Every mismatch of a run, numbered in report order (kind precedence, then ref), in one statement. $2 is the
     * value date, [$3, $4) the same day in the reconciliation zone (for settles that carry no value date).
     * <ul>
     *   <li>{@code bank}: one row per ref on the statement, with its line count and its first line.</li>
     *   <li>per bank ref, its SETTLE postings of any date (normally one; several would mean one ref settled twice,
     *       and they are summed so that it cannot match a single line); with none, the transfer comes from the
     *       RELEASE carrying the ref (COALESCE evaluates that lookup only then);</li>
     *   <li>the settles of this value date whose ref has no line (a settle without a ref never has one).</li>
     * </ul>
     * Every lookup is an index probe driven by the statement or by the day's settles (LATERAL, NOT EXISTS against the
     * table, never against a CTE), so the plan stays linear whatever the planner's statistics say about tables
     * that were just bulk-filled.
     */
    private static final String INSERT_MISMATCHES = """
            insert into reconciliation_mismatches (reconciliation_id, seq, kind, external_ref, transfer_id,
                   ledger_amount_minor, ledger_currency, bank_amount_minor, bank_currency, bank_count)
            with bank as (
                select bank_tran_id as ref, count(*) as n,
                       (array_agg(amount_minor order by seq))[1] as amount,
                       (array_agg(currency order by seq))[1] as currency
                  from reconciliation_lines where reconciliation_id = $1
                 group by bank_tran_id
            ), found as (
                select case when b.n >= 2 then 'DUPLICATE_AT_BANK'
                            when s.n = 0 then 'MISSING_IN_LEDGER'
                            when s.n <> 1 or s.amount <> b.amount or s.currency <> b.currency
                                 or s.currency_max <> b.currency then 'AMOUNT_MISMATCH'
                       end as kind,
                       b.ref,
                       coalesce(s.transfer::uuid, (select r.transfer_id from postings r
                                                    where r.kind = 'RELEASE' and r.external_ref = b.ref
                                                    order by r.created_at limit 1)) as transfer_id,
                       s.amount::bigint as ledger_amount, s.currency as ledger_currency,
                       b.amount as bank_amount, b.currency as bank_currency, b.n::integer as bank_count
                  from bank b
                 cross join lateral (
                       select count(*) as n, sum(e.amount_minor) as amount, min(e.currency) as currency,
                              max(e.currency) as currency_max, min(p.transfer_id::text) as transfer
                         from postings p join entries e on e.posting_id = p.id and e.amount_minor > 0
                        where p.kind = 'SETTLE' and p.external_ref = b.ref) s
                union all
                select 'MISSING_AT_BANK', p.external_ref, p.transfer_id, e.amount_minor, e.currency, null, null, 0
                  from postings p join entries e on e.posting_id = p.id and e.amount_minor > 0
                 where p.kind = 'SETTLE'
                   and (p.value_date = $2 or (p.value_date is null and p.created_at >= $3 and p.created_at < $4))
                   and not exists (select 1 from reconciliation_lines l
                                    where l.reconciliation_id = $1 and l.bank_tran_id = p.external_ref)
            )
            select $1, row_number() over (order by case kind when 'DUPLICATE_AT_BANK' then 1
                                                             when 'MISSING_IN_LEDGER' then 2
                                                             when 'AMOUNT_MISMATCH' then 3 else 4 end,
                                                   ref nulls last, transfer_id),
                   kind, ref, transfer_id, ledger_amount, ledger_currency, bank_amount, bank_currency, bank_count
              from found where kind is not null""";
    private static final String SUMMARY = """
            select (select count(*) from reconciliation_lines where reconciliation_id = $1) as lines,
                   (select count(distinct bank_tran_id) from reconciliation_lines where reconciliation_id = $1) as refs,
                   (select count(*) from postings p
                     where p.kind = 'SETTLE'
                       and (p.value_date = $2 or (p.value_date is null and p.created_at >= $3 and p.created_at < $4)))
                       as settles,
                   count(*) filter (where kind = 'MISSING_IN_LEDGER') as missing_in_ledger,
                   count(*) filter (where kind = 'MISSING_AT_BANK') as missing_at_bank,
                   count(*) filter (where kind = 'AMOUNT_MISMATCH') as amount_mismatch,
                   count(*) filter (where kind = 'DUPLICATE_AT_BANK') as duplicate_at_bank
              from reconciliation_mismatches where reconciliation_id = $1""";
    private static final String COMPLETE = """
            update reconciliations
               set status = 'COMPLETED', finished_at = now(), heartbeat_at = now(), bank_lines = $2,
                   ledger_settles = $3, matched = $4, missing_in_ledger = $5, missing_at_bank = $6,
                   amount_mismatch = $7, duplicate_at_bank = $8
             where id = $1 and status = 'RUNNING'""";
    private static final String FAIL = """
            update reconciliations
               set status = 'FAILED', finished_at = now(), failure = $2,
                   bank_lines = (select count(*) from reconciliation_lines where reconciliation_id = $1)
             where id = $1 and status = 'RUNNING'""";
    private static final String SCHEDULE_DONE = """
            update reconciliation_schedule set state = $2, updated_at = now()
             where reconciliation_id = $1 and state = 'RUNNING'""";
    private static final String COLUMNS = """
            id, value_date, trigger, status, failure, requested_by, reason, started_at, finished_at, bank_lines,
            ledger_settles, matched, missing_in_ledger, missing_at_bank, amount_mismatch, duplicate_at_bank""";
    private static final String FIND = "select " + COLUMNS + " from reconciliations where id = $1";
    private static final String LIST = "select " + COLUMNS + " " + """
            from reconciliations where ($1::date is null or value_date = $1)
             order by started_at desc, id desc limit $2 offset $3""";
    private static final String LATEST_COMPLETED = "select " + COLUMNS + " " + """
            from reconciliations where status = 'COMPLETED' order by finished_at desc, id desc limit 1""";
    private static final String MISMATCHES = """
            select kind, external_ref, transfer_id, ledger_amount_minor, ledger_currency, bank_amount_minor,
                   bank_currency, bank_count
              from reconciliation_mismatches where reconciliation_id = $1
             order by seq limit $2 offset $3""";

    // --- the schedule's claims ---
    private static final String CLAIM = """
            insert into reconciliation_schedule (value_date, state, reconciliation_id, attempts)
            values ($1, 'RUNNING', $2, 1)
            on conflict (value_date) do nothing""";
    /** A FAILED date is retried by whoever flips it back to RUNNING first: the row lock makes it one replica. */
    private static final String RETRY = """
            update reconciliation_schedule
               set state = 'RUNNING', reconciliation_id = $2, attempts = attempts + 1, updated_at = now()
             where value_date = $1 and state = 'FAILED' and attempts < $3
               and updated_at <= now() - make_interval(secs => $4::bigint / 1000.0)""";
    /**
     * Runs whose runner died (no heartbeat for the lease) are FAILED; their date's claim becomes FAILED as of the
     * last heartbeat, so that a retry may follow at once (the lease is the wait).
     */
    private static final String ABANDON = """
            with abandoned as (
                update reconciliations
                   set status = 'FAILED', finished_at = now(),
                       failure = 'abandoned: no heartbeat for ' || $1::bigint || ' ms (its runner stopped)'
                 where status = 'RUNNING' and heartbeat_at < now() - make_interval(secs => $1::bigint / 1000.0)
                returning id, trigger, heartbeat_at, started_at
            ), released as (
                update reconciliation_schedule s set state = 'FAILED', updated_at = a.heartbeat_at
                  from abandoned a where s.reconciliation_id = a.id and s.state = 'RUNNING'
            )
            select id, trigger, started_at from abandoned""";

    /** A run as stored; counts are null until it COMPLETED (bank_lines: the lines received, also when FAILED). */
    public record Run(UUID id, LocalDate date, String trigger, String status, String failure, String requestedBy,
                      String reason, Instant startedAt, Instant finishedAt, Long bankLines, Long ledgerSettles,
                      Long matched, Map<MismatchKind, Long> counts) {
        public boolean completed() {
            return "COMPLETED".equals(status);
        }

        public long mismatchTotal() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public record Mismatch(MismatchKind kind, String externalRef, UUID transferId, Long ledgerAmountMinor,
                           String ledgerCurrency, Long bankAmountMinor, String bankCurrency, int bankCount) {
    }

    /** A run found without heartbeat and marked FAILED. */
    public record Abandoned(UUID id, String trigger, Instant startedAt) {
    }

    /** The run is no longer RUNNING: someone else ended it (it was found abandoned). Nothing more is written. */
    public static class RunEnded extends RuntimeException {
        RunEnded(UUID id) {
            super("reconciliation " + id + " was ended elsewhere (no heartbeat for the lease); its result is dropped",
                    null, false, false);
        }
    }

    private final Pool pool;
    private final OpsAudit audit;

    public Reconciliations(Pool pool, OpsAudit audit) {
        this.pool = pool;
        this.audit = audit;
    }

    /** A manual run, RUNNING, and its ops audit row (an ops action) in the same transaction. */
    public Uni<Void> start(UUID id, LocalDate date, String requestedBy, String reason) {
        return pool.withTransaction(c -> insertRun(c, id, date, MANUAL, requestedBy, reason)
                .flatMap(x -> audit.record(c, new OpsAction(requestedBy, "reconciliation.run", id.toString(), reason,
                        Map.of("date", date.toString())))));
    }

    private static Uni<Void> insertRun(SqlConnection c, UUID id, LocalDate date, String trigger, String requestedBy,
                                       String reason) {
        return c.preparedQuery(INSERT_RUN).execute(Tuple.of(id, date, trigger, requestedBy, reason)).replaceWithVoid();
    }

    /**
     * Claims the scheduled run of {@code date} for run {@code id}: the first claim of the date, or the retry of a
     * FAILED one (fewer than {@code attemptsMax} runs so far, the last ended at least {@code retryDelayMs} ago).
     * False (and nothing written) when another replica has it, it completed, or it may not be retried.
     */
    public Uni<Boolean> claim(LocalDate date, UUID id, int attemptsMax, long retryDelayMs) {
        return pool.withTransaction(c -> insertRun(c, id, date, SCHEDULED, "schedule", null)
                .flatMap(x -> c.preparedQuery(CLAIM).execute(Tuple.of(date, id)))
                .flatMap(claimed -> claimed.rowCount() == 1
                        ? Uni.createFrom().item(true)
                        : c.preparedQuery(RETRY).execute(Tuple.of(date, id, attemptsMax, retryDelayMs))
                        .map(retried -> retried.rowCount() == 1))
                .invoke(claimed -> {
                    if (!claimed) {
                        // roll the run row back with the transaction
                        throw new NotClaimed();
                    }
                }))
                .onFailure(NotClaimed.class).recoverWithItem(false);
    }

    private static final class NotClaimed extends RuntimeException {
        NotClaimed() {
            super(null, null, false, false);
        }
    }

    /** Marks runs without heartbeat for {@code leaseMs} FAILED, releasing their scheduled date for a retry. */
    public Uni<List<Abandoned>> abandonStale(long leaseMs) {
        return pool.withTransaction(c -> c.preparedQuery(ABANDON).execute(Tuple.of(leaseMs)))
                .map(rows -> {
                    List<Abandoned> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Abandoned(r.getUUID("id"), r.getString("trigger"),
                                r.getOffsetDateTime("started_at").toInstant()));
                    }
                    return out;
                });
    }

    /**
     * Stores one statement page from position {@code firstSeq} on and renews the run's heartbeat, in one transaction.
     * Fails with {@link RunEnded} (nothing stored) when the run is no longer RUNNING.
     */
    public Uni<Void> storePage(UUID id, long firstSeq, List<Line> lines) {
        String[] refs = new String[lines.size()];
        Long[] amounts = new Long[lines.size()];
        String[] currencies = new String[lines.size()];
        OffsetDateTime[] executed = new OffsetDateTime[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            refs[i] = l.bankTranId();
            amounts[i] = l.amountMinor();
            currencies[i] = l.currency();
            executed[i] = l.executedAt();
        }
        return pool.withTransaction(c -> c.preparedQuery(HEARTBEAT).execute(Tuple.of(id)).flatMap(beat -> {
            if (beat.rowCount() != 1) {
                throw new RunEnded(id);
            }
            if (lines.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return c.preparedQuery(INSERT_LINES).execute(Tuple.tuple().addUUID(id).addLong(firstSeq)
                    .addArrayOfString(refs).addArrayOfLong(amounts).addArrayOfString(currencies)
                    .addArrayOfOffsetDateTime(executed)).replaceWithVoid();
        }));
    }

    /**
     * Matches the stored statement against the ledger and completes the run, all in one REPEATABLE READ transaction
     * (one snapshot: the counts agree with the mismatches even while settles keep arriving). Fails with
     * {@link RunEnded} (and writes nothing) when the run is no longer RUNNING.
     */
    public Uni<Void> complete(UUID id, LocalDate date, ZoneId zone) {
        Tuple day = Tuple.of(id, date, date.atStartOfDay(zone).toOffsetDateTime(),
                date.plusDays(1).atStartOfDay(zone).toOffsetDateTime());
        return pool.withTransaction(c -> c.query("set transaction isolation level repeatable read").execute()
                // the plan is index probes throughout: compiling it costs more than it could save
                .flatMap(x -> c.query("set local jit = off").execute())
                .flatMap(x -> c.preparedQuery(INSERT_MISMATCHES).execute(day))
                .flatMap(x -> c.preparedQuery(SUMMARY).execute(day))
                .flatMap(summary -> {
                    Row s = summary.iterator().next();
                    long mismatchedRefs = s.getLong("missing_in_ledger") + s.getLong("amount_mismatch")
                            + s.getLong("duplicate_at_bank");
                    // every ref on the statement is either matched or exactly one of the three bank-side kinds
                    long matched = s.getLong("refs") - mismatchedRefs;
                    return c.preparedQuery(COMPLETE).execute(Tuple.from(new Object[]{id, s.getLong("lines"),
                            s.getLong("settles"), matched, s.getLong("missing_in_ledger"), s.getLong("missing_at_bank"),
                            s.getLong("amount_mismatch"), s.getLong("duplicate_at_bank")}));
                })
                .flatMap(done -> {
                    if (done.rowCount() != 1) {
                        throw new RunEnded(id);
                    }
                    return c.preparedQuery(SCHEDULE_DONE).execute(Tuple.of(id, "COMPLETED"));
                })
                .replaceWithVoid());
    }

    /** Records the failure (when the run is still RUNNING) and releases its scheduled date for a retry. */
    public Uni<Void> fail(UUID id, String failure) {
        String text = failure == null || failure.isBlank() ? "failed" : failure;
        return pool.withTransaction(c -> c.preparedQuery(FAIL).execute(Tuple.of(id, text))
                .flatMap(x -> c.preparedQuery(SCHEDULE_DONE).execute(Tuple.of(id, "FAILED")))
                .replaceWithVoid());
    }

    public Uni<Optional<Run>> find(UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> first(rows).map(Reconciliations::run));
    }

    /** Newest first; {@code date} null for every date. */
    public Uni<List<Run>> list(LocalDate date, int page, int size) {
        return pool.preparedQuery(LIST).execute(Tuple.of(date, (long) size, (long) page * size)).map(rows -> {
            List<Run> out = new ArrayList<>();
            rows.forEach(r -> out.add(run(r)));
            return out;
        });
    }

    public Uni<Optional<Run>> latestCompleted() {
        return pool.query(LATEST_COMPLETED).execute().map(rows -> first(rows).map(Reconciliations::run));
    }

    /** A run's mismatches in report order. */
    public Uni<List<Mismatch>> mismatches(UUID id, long offset, int limit) {
        return pool.preparedQuery(MISMATCHES).execute(Tuple.of(id, (long) limit, offset)).map(rows -> {
            List<Mismatch> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Mismatch(MismatchKind.valueOf(r.getString("kind")), r.getString("external_ref"),
                        r.getUUID("transfer_id"), r.getLong("ledger_amount_minor"), r.getString("ledger_currency"),
                        r.getLong("bank_amount_minor"), r.getString("bank_currency"), r.getInteger("bank_count")));
            }
            return out;
        });
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
    }

    private static Run run(Row r) {
        Map<MismatchKind, Long> counts = new EnumMap<>(MismatchKind.class);
        for (MismatchKind kind : MismatchKind.values()) {
            Long n = r.getLong(kind.column);
            counts.put(kind, n == null ? 0L : n);
        }
        OffsetDateTime finished = r.getOffsetDateTime("finished_at");
        return new Run(r.getUUID("id"), r.getLocalDate("value_date"), r.getString("trigger"), r.getString("status"),
                r.getString("failure"), r.getString("requested_by"), r.getString("reason"),
                r.getOffsetDateTime("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                r.getLong("bank_lines"), r.getLong("ledger_settles"), r.getLong("matched"), counts);
    }
}
