-- webhook-service schema, version 1: bank webhook events keyed by event_id (stored before anything else), inbox, outbox.

create table webhook_events (
    event_id     text        primary key,            -- webhook-id, or SHA-256 of the normalized payload: the dedupe key
    received_at  timestamptz not null,
    headers      jsonb       not null,
    body         text        not null,               -- the raw body exactly as signed
    event_type   text
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
