-- transfer-service schema, version 2: the saga consumes events idempotently and records anomalies for ops.

-- Inbox: a message's effect and its id commit together; a redelivery finds its id here and changes nothing.
create table inbox (
    consumer      text        not null,
    message_id    uuid        not null,
    processed_at  timestamptz not null,
    primary key (consumer, message_id)
);

-- Results that contradict a terminal state, and external_ref collisions: counted, listed, never acted on.
create table anomalies (
    id           uuid        primary key,
    transfer_id  uuid        not null references transfers (id),
    kind         text        not null check (kind in ('CONTRADICTING_RESULT', 'COLLISION')),
    detail       text        not null,
    message_id   uuid        not null,
    created_at   timestamptz not null
);
create index anomalies_by_transfer on anomalies (transfer_id);
