-- Several Key Makers on one database (docs/operations.md, "Scaling"). Each running instance holds
-- a lease row, renewed by a heartbeat in database time; every RESERVED binding names the instance
-- that reserved it. A binding is recovered (ABANDONED and re-planned) only when its instance's lease
-- has expired: never while the instance that is building its package is alive. The worker's two
-- transactions hold their instance's row (FOR KEY SHARE, lease still valid) and recovery takes an
-- expired row FOR UPDATE, so a reservation is either completed by its owner or recovered, never
-- both. reserved_by is in no index: RESERVED -> BOUND stays a HOT update (V5).
create table keymaker_instance (
    id           uuid         primary key,
    started_at   timestamptz  not null default now(),
    lease_until  timestamptz  not null
);

alter table bindings add column reserved_by uuid;
