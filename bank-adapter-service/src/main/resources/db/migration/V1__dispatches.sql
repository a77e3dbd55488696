-- bank-adapter-service schema, version 1: one dispatch per transfer with its deterministic external_ref, inbox, outbox.

-- Inserted before the bank is called: the primary key makes a transfer dispatch once, the unique external_ref is the
-- key the bank dedupes on.
create table dispatches (
    transfer_id   uuid        primary key,
    external_ref  text        not null unique,
    request       jsonb       not null,              -- what was (or will be) sent to the bank
    outcome       text,                              -- null until the bank's answer is classified
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- Consumed message ids, recorded in the same transaction as the consumer's effect.
create table inbox (
    consumer      text        not null,
    message_id    uuid        not null,
    processed_at  timestamptz not null default now(),
    primary key (consumer, message_id)
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
