-- bank-adapter-service schema, version 3: dispatches the bank could not be called for (circuit breaker open, bulkhead
-- full) wait in the table, not in the broker, and a retry loop in every instance sends them when their time comes.
-- Expand only: a version-2 instance never writes WAITING, ignores the new columns, and keeps working beside this one
-- during a rollout (it may even re-dispatch a WAITING row from a new message: same ref, the bank dedupes).

-- WAITING joins the statuses: widened, never narrowed (added NOT VALID, then validated without blocking writes).
alter table dispatches drop constraint dispatches_status_check;
alter table dispatches add constraint dispatches_status_check
    check (status in ('CALLING', 'WAITING', 'ACCEPTED', 'UNKNOWN', 'SUCCEEDED', 'FAILED', 'COLLISION')) not valid;
alter table dispatches validate constraint dispatches_status_check;

alter table dispatches
    add column next_attempt_at timestamptz,                -- WAITING: when the retry loop may call the bank (or
                                                           -- the end of the lease of the loop calling it now)
    add column waits           integer     not null default 0,  -- refusals so far (breaker, bulkhead): the back-off
    add column traceparent     text;                       -- the trace of the command that had to wait: the retry
                                                           -- loop's call and events continue it (one trace per transfer)

-- the retry loop's claim and the waiting gauge read only these rows
create index dispatches_waiting on dispatches (next_attempt_at) where status = 'WAITING';
