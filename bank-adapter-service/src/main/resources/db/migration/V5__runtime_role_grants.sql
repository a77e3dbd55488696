-- bank-adapter-service schema, version 5: the service's runtime role gets exactly what its code does, table by table; the
-- migration owner (who runs this, and owns every object) keeps everything else (docs/operating.md "Database roles").
-- ${runtime_role} is the Flyway placeholder set from payout.db.runtime-user. Append-only tables get SELECT, INSERT
-- only, so rewriting them is refused by permission before any trigger. Nothing changes shape: an older instance,
-- still running as the owner during a rollout, keeps working.

-- Start from nothing, so that what follows is all the role has (whatever was granted by hand before).
revoke all on all tables in schema public from "${runtime_role}";
revoke all on all sequences in schema public from "${runtime_role}";

-- The database: only the runtime role may connect (and the owner, implicitly); nobody may create temporary tables.
do $$
begin
    execute format('revoke all on database %I from public', current_database());
    execute format('grant connect on database %I to %I', current_database(), '${runtime_role}');
end $$;
-- The schema: usable by the runtime role, and creating in it stays the owner's alone.
revoke all on schema public from public;
grant usage on schema public to "${runtime_role}";
-- Functions (all trigger functions here): nobody calls them directly; a trigger fires whoever writes the row.
revoke execute on all functions in schema public from public;
alter default privileges revoke execute on functions from public;

-- --- tables (no DELETE, TRUNCATE, REFERENCES or TRIGGER anywhere: the code does none of them) ---
-- one dispatch per transfer: inserted once, then its status, calls and waits are updated
grant select, insert, update on dispatches to "${runtime_role}";
-- consumed message ids: recorded once, never changed; a command checks it before calling the bank
grant select, insert on inbox to "${runtime_role}";
-- the outbox: written with the state change, read and marked published by the relay
grant select, insert, update on outbox to "${runtime_role}";
-- dead letters kept for ops: inserted by the keeper, their replay count updated by a replay
grant select, insert, update on dead_letters to "${runtime_role}";
-- append-only: the ops audit trail
grant select, insert on ops_audit to "${runtime_role}";

-- flyway_schema_history: no grant. The runtime role can neither read nor change the migration record.
