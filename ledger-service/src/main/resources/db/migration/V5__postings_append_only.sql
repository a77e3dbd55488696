-- ledger-service schema, version 5: postings are append-only like their entries. Reconciliation matches on a
-- posting's external_ref and as_of replays by its time, so rewriting one would rewrite history. DELETE was already
-- refused by the entries foreign key; UPDATE was not. Nothing in the service updates a posting.
create function postings_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger postings are append-only: % refused', tg_op
        using errcode = 'restrict_violation';
end $$;
create trigger postings_no_update_delete before update or delete on postings
    for each row execute function postings_append_only();
create trigger postings_no_truncate before truncate on postings
    for each statement execute function postings_append_only();
