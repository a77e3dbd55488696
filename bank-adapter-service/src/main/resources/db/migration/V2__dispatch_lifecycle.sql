-- bank-adapter-service schema, version 2: where each dispatch stands and what the bank last said.
-- Expand only (new nullable or defaulted columns): a version-1 instance keeps working beside this one during a rollout.

alter table dispatches
    -- CALLING (row committed, bank answer not classified yet), ACCEPTED, UNKNOWN, then final: SUCCEEDED, FAILED,
    -- COLLISION. A final dispatch never calls the bank again; only the bank's answer or an inquiry makes it FAILED.
    add column status           text        not null default 'CALLING'
        check (status in ('CALLING', 'ACCEPTED', 'UNKNOWN', 'SUCCEEDED', 'FAILED', 'COLLISION')),
    add column reason           text,                              -- the bank's code for a failure
    add column last_answer      jsonb,                             -- the bank's last answer (or why there was none)
    add column collision_detail text,                              -- what the bank's original has that our intent has not
    add column calls            integer     not null default 0,    -- bank calls made with this ref (same ref each time)
    add column last_call_at     timestamptz;                       -- when the latest one started: an inquiry's NOT_FOUND
                                                                   -- only counts once that is long enough ago
