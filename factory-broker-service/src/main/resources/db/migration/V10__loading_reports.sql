-- Profile Loading Reports (ESBPP03, docs/orders.md) as a factory's line submits them, kept until
-- the Key Maker pulls them (it verifies and decides; the broker checks only their shape). Exported
-- in commit order after a (transaction id, id) cursor, as installation results are.
create table loading_report (
    id           bigserial    primary key,
    order_id     uuid         not null,
    factory      varchar(64)  not null,
    line         varchar(64),
    devices      integer      not null,
    body         jsonb        not null,
    tx_xid       xid8         not null default pg_current_xact_id(),
    received_at  timestamptz  not null default now()
);
create index loading_report_export on loading_report (tx_xid, id);
