-- ledger-service schema, version 4 (SPEC §4 "Reconciliation"): the value date of a settle, the ref of a release,
-- and daily reconciliation runs with the bank's statement lines as received and the mismatches found.
-- Expand-only: nothing earlier is dropped or renamed, so old and new versions run side by side during a rollout.

-- --- postings -------------------------------------------------------------------------------------------------
alter table postings
    -- the transfer's value date, sent with ledger.settle by newer producers; a settle without one counts on the date
    -- of its created_at in the reconciliation zone (see reconciliation/Reconciler)
    add column value_date date,
    add constraint postings_value_date_only_on_settle check (value_date is null or kind = 'SETTLE');
-- a day's settles: dated ones by value date, undated (older producers) by creation instant
create index postings_settled_by_value_date on postings (value_date) where kind = 'SETTLE';
create index postings_settled_undated on postings (created_at) where kind = 'SETTLE' and value_date is null;
-- a bank line with no settle names its transfer through the release that carries the same ref (if dispatched)
create index postings_released_by_ref on postings (external_ref) where kind = 'RELEASE';

-- --- runs -----------------------------------------------------------------------------------------------------
-- One row per run; a re-run of a date is a new row. The counts are filled when the run completes.
create table reconciliations (
    id                 uuid        primary key,
    value_date         date        not null,
    trigger            text        not null,
    status             text        not null,
    failure            text,
    requested_by       text        not null,            -- the JWT sub of a manual run, 'schedule' otherwise
    reason             text,
    started_at         timestamptz not null default now(),
    -- renewed with every statement page: a RUNNING run whose heartbeat is older than the lease has lost its runner
    heartbeat_at       timestamptz not null default now(),
    finished_at        timestamptz,
    bank_lines         bigint,
    ledger_settles     bigint,
    matched            bigint,
    missing_in_ledger  bigint,
    missing_at_bank    bigint,
    amount_mismatch    bigint,
    duplicate_at_bank  bigint,
    constraint reconciliations_trigger_known check (trigger in ('MANUAL', 'SCHEDULED')),
    constraint reconciliations_status_known check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
    constraint reconciliations_finished_iff_done check ((status = 'RUNNING') = (finished_at is null)),
    constraint reconciliations_failure_iff_failed check ((status = 'FAILED') = (failure is not null)),
    constraint reconciliations_counts_iff_completed check ((status = 'COMPLETED') = (matched is not null
        and ledger_settles is not null and missing_in_ledger is not null and missing_at_bank is not null
        and amount_mismatch is not null and duplicate_at_bank is not null))
);
create index reconciliations_newest on reconciliations (started_at desc, id desc);
create index reconciliations_by_date on reconciliations (value_date, started_at desc, id desc);
-- what the mismatch gauge shows: the latest completed run
create index reconciliations_latest_completed on reconciliations (finished_at desc, id desc) where status = 'COMPLETED';

-- The bank's statement exactly as received (audit evidence), one row per line, in the bank's order.
create table reconciliation_lines (
    reconciliation_id  uuid        not null references reconciliations (id),
    seq                integer     not null,            -- 0-based position in the statement
    bank_tran_id       text        not null,
    amount_minor       bigint      not null,
    currency           text        not null,
    executed_at        timestamptz,
    primary key (reconciliation_id, seq)
);
create index reconciliation_lines_by_ref on reconciliation_lines (reconciliation_id, bank_tran_id);

-- What a completed run found, one row per ref (or per undated-ref settle), numbered in report order.
create table reconciliation_mismatches (
    reconciliation_id    uuid    not null references reconciliations (id),
    seq                  integer not null,
    kind                 text    not null,
    external_ref         text,
    transfer_id          uuid,
    ledger_amount_minor  bigint,
    ledger_currency      text,
    bank_amount_minor    bigint,
    bank_currency        text,
    bank_count           integer not null,
    primary key (reconciliation_id, seq),
    constraint reconciliation_mismatches_kind_known check (kind in
        ('MISSING_IN_LEDGER', 'MISSING_AT_BANK', 'AMOUNT_MISMATCH', 'DUPLICATE_AT_BANK'))
);

-- --- the daily schedule -----------------------------------------------------------------------------------------
-- One row per value date: the claim. Whoever inserts it (INSERT ... ON CONFLICT DO NOTHING) runs that date; another
-- replica takes it over only by a conditional UPDATE (its run died, or it FAILED and may be retried). No locks held
-- across the run.
create table reconciliation_schedule (
    value_date         date        primary key,
    state              text        not null,
    reconciliation_id  uuid        not null references reconciliations (id),   -- the current attempt
    attempts           integer     not null check (attempts > 0),
    updated_at         timestamptz not null default now(),
    constraint reconciliation_schedule_state_known check (state in ('RUNNING', 'COMPLETED', 'FAILED'))
);
