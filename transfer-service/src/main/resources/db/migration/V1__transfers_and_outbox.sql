-- transfer-service schema, version 1: transfer intake with its idempotency key, state history, outbox.

create table transfers (
    id                    uuid        primary key,
    client_id             text        not null,
    client_request_id     text        not null,   -- the Idempotency-Key, chosen by the client
    request_fingerprint   text        not null,   -- SHA-256 of the normalized intent: a reused key with another payload is refused
    state                 text        not null,
    hold_placed           boolean     not null default false,
    source_account        text        not null,
    dest_bank_code        text        not null,
    dest_account_number   text        not null,   -- digits only
    amount_minor          bigint      not null,
    currency              text        not null check (currency ~ '^[A-Z]{3}$'),
    memo                  text,
    value_date            date        not null,
    external_ref          text,
    failure_reason        text,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    response_status       integer     not null,   -- the first answer, replayed verbatim for the same key
    response_body         text        not null,
    constraint transfers_intent_once unique (client_id, client_request_id),
    constraint transfers_state_known check (state in ('PENDING', 'DISPATCHED', 'SETTLED', 'FAILED', 'EXPIRED')),
    constraint transfers_amount_positive check (amount_minor > 0)
);

create table transfer_history (
    transfer_id  uuid        not null references transfers (id),
    seq          integer     not null,
    state        text        not null,
    at           timestamptz not null,
    reason       text,
    primary key (transfer_id, seq)
);

-- Transactional outbox (the platform's OutboxRelay reads these columns).
create table outbox (
    id            uuid        primary key,       -- the message_id: stable across republishing
    type          text        not null,          -- also the routing key
    aggregate_id  text        not null,
    payload       jsonb       not null,
    traceparent   text,
    occurred_at   timestamptz not null,
    published_at  timestamptz
);
create index outbox_unpublished on outbox (occurred_at) where published_at is null;

-- Wake the relay on commit (NOTIFY is delivered at commit; several per transaction fold into one).
create function outbox_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('outbox', '');
    return null;
end $$;
create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
