-- ledger-service schema, version 1: accounts, double-entry postings with append-only entries, inbox, outbox.

create table accounts (
    id          text        primary key,
    currency    text        not null check (currency ~ '^[A-Z]{3}$'),
    owner       text,                                  -- the client (JWT sub) allowed to move money out; null for internal accounts
    kind        text        not null,
    created_at  timestamptz not null default now(),
    constraint accounts_kind_known check (kind in ('CUSTOMER', 'HOLDS', 'BANK_CLEARING', 'FUNDING'))
);

-- A posting groups two or more entries that sum to zero.
create table postings (
    id           uuid        primary key,
    transfer_id  uuid,                                 -- null for postings outside a transfer (deposits)
    kind         text        not null,
    reference    text,                                 -- e.g. the deposit reference
    created_at   timestamptz not null default now(),
    constraint postings_kind_known check (kind in ('HOLD', 'SETTLE', 'RELEASE', 'DEPOSIT')),
    constraint postings_once_per_transfer unique (transfer_id, kind)
);
-- settle and release exclude each other: at most one of the two per transfer
create unique index postings_settle_xor_release on postings (transfer_id) where kind in ('SETTLE', 'RELEASE');

create table entries (
    id            bigserial   primary key,
    posting_id    uuid        not null references postings (id),
    account_id    text        not null references accounts (id),
    amount_minor  bigint      not null,                -- signed: negative leaves the account, positive enters it
    currency      text        not null check (currency ~ '^[A-Z]{3}$'),
    created_at    timestamptz not null default now()
);
create index entries_by_account on entries (account_id, created_at);
create index entries_by_posting on entries (posting_id);

-- Entries are append-only: history is replayed from them, so nothing may rewrite or remove one.
create function entries_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger entries are append-only: % refused', tg_op
        using errcode = 'restrict_violation';
end $$;
create trigger entries_no_update_delete before update or delete on entries
    for each row execute function entries_append_only();
create trigger entries_no_truncate before truncate on entries
    for each statement execute function entries_append_only();

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
