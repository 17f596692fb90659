-- Profile Loading Reports (ESBPP03, docs/orders.md): what the factory says happened to every
-- device of an order. Signed entries are checked (the chip's signature) and their check recorded;
-- unsigned entries (no result, with the line's reason) are the factory's claims, never facts.
create table loading_reports (
    id           uuid         primary key,
    order_id     uuid         not null references orders (id),
    actor        varchar(32)  not null,
    devices      integer      not null,
    received_at  timestamptz  not null default now()
);
create index loading_reports_order on loading_reports (order_id, received_at);

create table loading_report_entries (
    report_id        uuid         not null references loading_reports (id),
    eid              varchar(32)  not null,
    -- what the factory says: INSTALLED, FAILED (both with the chip's signed result) or NO_RESULT
    claimed_outcome  varchar(16)  not null,
    -- NO_RESULT only: UNREACHABLE, DAMAGED, REMOVED, NOT_ATTEMPTED
    reason           varchar(16),
    transaction_id   bytea,
    -- the signed result's check (INSTALLED, FAILED, FAILED_REBINDING, DUPLICATE, REJECTED) and its
    -- code; null for an unsigned claim
    verification     varchar(32),
    code             varchar(64),
    primary key (report_id, eid)
);
