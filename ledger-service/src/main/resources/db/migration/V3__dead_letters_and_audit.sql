-- Dead letters kept for ops and the ops audit trail (platform deadletter/ and audit/; the same tables in every
-- service). Expand-only: new tables, nothing existing changes.

-- What the service's dead-letter queue delivered (DeadLetterKeeper): the queue is the transport, this table is what
-- ops lists and replays, and what survives. One row per dead-lettering; a DLQ redelivery finds its id and adds nothing.
create table dead_letters (
    id                uuid        primary key,       -- header x-payout-dead-letter-id, or a hash of the message
    queue             text        not null,          -- the consumer queue it failed on; a replay goes back there only
    message_id        text,                          -- AMQP message-id (= the envelope's message_id), replayed as is
    type              text,
    routing_key       text,                          -- the routing key it first arrived with
    body              bytea       not null,          -- the original bytes (the envelope, or whatever was poison)
    headers           jsonb       not null default '{}',
    reason            text        not null,
    attempts          integer,
    dead_lettered_at  timestamptz not null,
    kept_at           timestamptz not null default now(),
    replay_count      integer     not null default 0 check (replay_count >= 0),
    replayed_at       timestamptz,                   -- the last replay the broker confirmed
    replayed_by       text,                          -- its operator (JWT sub)
    constraint dead_letters_replay_consistent check ((replay_count = 0) = (replayed_at is null))
);
create index dead_letters_newest on dead_letters (dead_lettered_at desc, id desc);
create index dead_letters_by_queue on dead_letters (queue, dead_lettered_at desc);

-- Every ops action, written in the same transaction as its effect (OpsAudit).
create table ops_audit (
    id        uuid        primary key,               -- UUIDv7
    at        timestamptz not null default now(),
    actor     text        not null,                  -- JWT sub of the operator
    action    text        not null,                  -- e.g. dead-letter.replay
    target    text        not null,                  -- e.g. the dead letter's id
    reason    text,                                  -- as the operator gave it
    details   jsonb       not null default '{}',
    trace_id  text
);
create index ops_audit_newest on ops_audit (at desc, id desc);
create index ops_audit_by_action on ops_audit (action, at desc, id desc);

-- The trail is append-only: nobody, not even the service, may rewrite or remove what an operator did.
create function ops_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ops audit rows are append-only: % refused', tg_op
        using errcode = 'restrict_violation';
end $$;
create trigger ops_audit_no_update_delete before update or delete on ops_audit
    for each row execute function ops_audit_append_only();
create trigger ops_audit_no_truncate before truncate on ops_audit
    for each statement execute function ops_audit_append_only();
