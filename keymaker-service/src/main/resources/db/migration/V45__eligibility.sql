-- DPFF09 (docs/orders.md, eligibility): the chip's capabilities as its eUICC data carried them
-- (EUICCInfo2, signed by the chip; null for data exported without them), and per profile pool the
-- operator's rules for which chips may get the pool's profiles (no row: every verified chip may).
alter table euiccs add column euicc_info2 bytea;

create table pool_eligibility (
    pool        varchar(64)  primary key,
    rules       jsonb        not null,
    updated_at  timestamptz  not null default now()
);
