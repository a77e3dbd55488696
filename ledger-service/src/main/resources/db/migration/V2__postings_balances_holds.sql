-- ledger-service schema, version 2 (SPEC §4): the double-entry rules in the database, maintained balance rows,
-- system accounts, hold decisions. Expand-only: nothing of V1 is dropped or renamed.

-- --- accounts -------------------------------------------------------------------------------------------------
-- Customer accounts have an owner and never a ':' in their id; system accounts have no owner and the fixed id
-- "<kind>:<CUR>" (holds:KRW, bank-clearing:KRW, funding:KRW), so the two can never collide.
alter table accounts
    add constraint accounts_owner_iff_customer check ((kind = 'CUSTOMER') = (owner is not null)),
    add constraint accounts_ids_by_kind check (
        (kind = 'CUSTOMER' and position(':' in id) = 0)
        or (kind <> 'CUSTOMER' and id = replace(lower(kind), '_', '-') || ':' || currency)),
    -- target of the entries (account_id, currency) foreign key below
    add constraint accounts_id_currency unique (id, currency);

-- The maintained balance of a customer account, updated in the same transaction as its entries.
-- available = the sum of the account's entries; held = the sum of the holds-account entries of the transfers this
-- account's HOLD postings belong to (see BalanceReader). System accounts get no row: every hold, settle and release
-- of a currency touches holds:<CUR>, and one row for it would serialize them all; their balance is derived from
-- entries when asked.
create table account_balances (
    account_id       text   primary key references accounts (id),
    available_minor  bigint not null default 0,
    held_minor       bigint not null default 0,
    -- the last line of defence behind the conditional UPDATE that places a hold
    constraint account_balances_available_not_negative check (available_minor >= 0),
    constraint account_balances_held_not_negative check (held_minor >= 0)
);

-- Creating a customer account creates, in the same statement, its balance row and (on demand, once per currency)
-- the currency's system accounts. So "a customer account in CUR exists" implies holds:CUR, bank-clearing:CUR and
-- funding:CUR exist, however the account was inserted.
create function accounts_on_customer_insert() returns trigger language plpgsql as $$
begin
    insert into account_balances (account_id) values (new.id);
    insert into accounts (id, currency, owner, kind)
    values ('holds:' || new.currency, new.currency, null, 'HOLDS'),
           ('bank-clearing:' || new.currency, new.currency, null, 'BANK_CLEARING'),
           ('funding:' || new.currency, new.currency, null, 'FUNDING')
    on conflict (id) do nothing;
    return null;
end $$;
create trigger accounts_customer_setup after insert on accounts
    for each row when (new.kind = 'CUSTOMER') execute function accounts_on_customer_insert();

-- Backfill for accounts inserted under V1 (none in practice; keeps the invariant true for any existing data).
insert into accounts (id, currency, owner, kind)
select s.prefix || ':' || c.currency, c.currency, null, s.kind
  from (select distinct currency from accounts where kind = 'CUSTOMER') c
 cross join (values ('holds', 'HOLDS'), ('bank-clearing', 'BANK_CLEARING'), ('funding', 'FUNDING')) s (prefix, kind)
on conflict (id) do nothing;

-- --- postings -------------------------------------------------------------------------------------------------
alter table postings
    -- the bank's reference of a settled transfer: reconciliation matches the bank's statement on it
    add column external_ref text,
    add constraint postings_transfer_iff_transfer_kind check ((kind in ('HOLD', 'SETTLE', 'RELEASE')) = (transfer_id is not null)),
    add constraint postings_deposit_has_reference check (kind <> 'DEPOSIT' or reference is not null);
-- deposits are idempotent on their reference
create unique index postings_deposit_reference on postings (reference) where kind = 'DEPOSIT';
create index postings_settled_by_ref on postings (external_ref) where kind = 'SETTLE';

-- --- entries --------------------------------------------------------------------------------------------------
alter table entries
    add constraint entries_amount_not_zero check (amount_minor <> 0),
    -- an entry is in its account's currency
    add constraint entries_account_currency foreign key (account_id, currency) references accounts (id, currency);

-- Double entry: at commit, every posting has at least two entries, all in one currency, summing to zero.
-- Deferred, because the entries of a posting are inserted one statement at a time.
create function postings_balanced() returns trigger language plpgsql as $$
declare
    posting uuid;
    n bigint;
    total numeric;
    currencies bigint;
begin
    -- one function for both triggers; each branch is planned only when it runs, so new.* fits the table
    if tg_table_name = 'postings' then
        posting := new.id;
    else
        posting := new.posting_id;
    end if;
    select count(*), coalesce(sum(amount_minor), 0), count(distinct currency)
      into n, total, currencies
      from entries where posting_id = posting;
    if n < 2 or total <> 0 or currencies <> 1 then
        raise exception 'posting % is unbalanced: % entries in % currencies summing to %', posting, n, currencies, total
            using errcode = 'check_violation';
    end if;
    return null;
end $$;
create constraint trigger postings_balanced after insert on postings
    deferrable initially deferred for each row execute function postings_balanced();
create constraint trigger entries_balanced after insert on entries
    deferrable initially deferred for each row execute function postings_balanced();

-- --- hold requests --------------------------------------------------------------------------------------------
-- One decision per transfer, final. The row is inserted first (ON CONFLICT DO NOTHING) as the claim on the transfer:
-- a concurrent or later ledger.hold for the same transfer (another message id) waits for it, finds it and answers
-- with the same decision. Without it, a hold refused for want of funds could be placed by a repeat after a deposit,
-- holding money of a transfer the saga has already failed. outcome is null only inside the deciding transaction.
create table hold_requests (
    transfer_id   uuid        primary key,
    client_id     text        not null,
    account_id    text        not null,                 -- as requested: it may not exist
    amount_minor  bigint      not null check (amount_minor > 0),
    currency      text        not null,
    outcome       text,
    reason        text,
    posting_id    uuid        references postings (id),
    requested_at  timestamptz not null default now(),
    constraint hold_requests_outcome_known check (outcome in ('PLACED', 'REJECTED')),
    constraint hold_requests_reason_known check (reason in
        ('ACCOUNT_NOT_FOUND', 'ACCOUNT_NOT_OWNED', 'CURRENCY_MISMATCH', 'INSUFFICIENT_FUNDS')),
    constraint hold_requests_decision_consistent check (
        outcome is null
        or (outcome = 'PLACED' and posting_id is not null and reason is null)
        or (outcome = 'REJECTED' and posting_id is null and reason is not null))
);
create index hold_requests_by_account on hold_requests (account_id);
