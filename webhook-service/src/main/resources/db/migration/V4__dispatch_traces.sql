-- webhook-service schema, version 4: which trace each transfer's bank call belongs to, by external_ref (the bank's
-- bank_tran_id), learnt from bank.dispatched. A bank webhook is a new request from the bank that carries none of our
-- trace context; this is how its work is put back into the transfer's trace (trace/TransferTraces).
create table dispatch_traces (
    external_ref  text        primary key,
    traceparent   text        not null,       -- W3C traceparent of the consumer span that received bank.dispatched
    recorded_at   timestamptz not null default now()
);
