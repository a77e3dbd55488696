-- webhook-service schema, version 3: ops look up forwarded bank results by external_ref (the outbox row's
-- aggregate_id, see api/WebhookEventsResource); without an index that is a scan of the whole outbox.
create index outbox_by_aggregate on outbox (aggregate_id);
