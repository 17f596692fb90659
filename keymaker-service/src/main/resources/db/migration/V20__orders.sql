-- Production orders (docs/orders.md): what the operator asked a factory to make. An order names
-- the operator's profile pool, the factory (broker) whose lines carry its packages, and either an
-- explicit list of EIDs or a number of devices whose EIDs become known as they are bound.
create table orders (
    id            uuid         primary key,
    pool          varchar(64)  not null,
    factory       varchar(64)  not null,
    device_count  integer      not null check (device_count > 0),
    explicit_eids boolean      not null,
    state         varchar(16)  not null,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now()
);

-- The order's devices: listed at creation (explicit orders) or admitted as they are bound. A
-- device is in an order once (one profile of the order per chip); bound = at least one binding.
create table order_devices (
    order_id  uuid         not null references orders (id),
    eid       varchar(32)  not null,
    bound     boolean      not null default false,
    primary key (order_id, eid)
);

-- A binding batch may run under an order (its progress and reconciliation are the order's).
alter table batches add column order_id uuid references orders (id);
create index batches_order on batches (order_id) where order_id is not null;
