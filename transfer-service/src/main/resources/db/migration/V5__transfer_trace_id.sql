-- transfer-service schema, version 5 (additive only): what the ops page needs to show and find a transfer.

-- The trace of the request that created the transfer (W3C trace id, 32 hex), null when no valid span was active.
alter table transfers add column trace_id text;

-- The ops page finds a transfer by external_ref or client_request_id without knowing the client: without these
-- a search would read the whole table.
create index transfers_by_external_ref on transfers (external_ref) where external_ref is not null;
create index transfers_by_client_request_id on transfers (client_request_id);
