-- transfer-service schema, version 3 (additive only): the sweeper's schedule for transfers without a result.
alter table transfers add column inquiry_attempts integer not null default 0;
alter table transfers add column next_inquiry_at timestamptz;

-- the sweeper scans only transfers waiting for the bank
create index transfers_awaiting_result on transfers (state, updated_at) where state in ('DISPATCHED', 'EXPIRED');
