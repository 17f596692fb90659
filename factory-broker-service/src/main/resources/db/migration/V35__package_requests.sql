-- Package requests (binding on request, ESBPP02; docs/orders.md): a line asks for the packages of
-- some chips, sending their eUICC data (public: certificates and signed public keys); the Key Maker
-- pulls the request after a (transaction id, id) cursor, as loading reports, and posts its answer
-- (per chip: the transactionId of its package, or the code of its refusal). The packages themselves
-- travel as every package does (an uploaded batch). Nothing here is secret.
create table package_request (
    id           bigserial    primary key,
    request_id   uuid         not null unique,
    order_id     uuid         not null,
    factory      varchar(64)  not null,
    line         varchar(64),
    chips        integer      not null,
    fingerprint  bytea        not null,
    body         jsonb        not null,
    answer       jsonb,
    tx_xid       xid8         not null default pg_current_xact_id(),
    received_at  timestamptz  not null default now(),
    answered_at  timestamptz
);
create index package_request_export on package_request (tx_xid, id);
