-- The Key Maker's state. No plain profile, no private key, no session key is ever stored:
-- profiles hold only their protected form (BPP A3 segments under PPKs) and the PPKs wrapped by the
-- HSM's key-encryption key (AES-GCM nonce + ciphertext||tag).

create table batches (
    id          uuid primary key,
    kind        varchar(16)  not null,
    total       integer      not null,
    created_at  timestamptz  not null default now()
);

create table profiles (
    id                 bigserial primary key,
    iccid              varchar(20)  not null unique,
    pool               varchar(64)  not null,
    profile_name       varchar(128),
    state              varchar(16)  not null,
    protected_segments bytea        not null,
    ppk_nonce          bytea        not null,
    ppk_wrapped        bytea        not null,
    kek_label          varchar(64)  not null,
    import_batch_id    uuid references batches (id),
    created_at         timestamptz  not null default now(),
    updated_at         timestamptz  not null default now()
);
create index profiles_pool_state on profiles (pool, state, id);

create table euiccs (
    id                 bigserial primary key,
    eid                varchar(32)  not null unique,
    curve              varchar(32)  not null,
    euicc_certificate  bytea        not null,
    eum_certificate    bytea        not null,
    created_at         timestamptz  not null default now()
);

create table one_time_keys (
    id          bigserial primary key,
    euicc_id    bigint       not null references euiccs (id),
    key_index   integer      not null,
    public_key  bytea        not null unique,
    state       varchar(16)  not null,
    spent_at    timestamptz,
    unique (euicc_id, key_index)
);
create index one_time_keys_available on one_time_keys (euicc_id, key_index) where state = 'AVAILABLE';

create table bindings (
    id                  bigserial primary key,
    batch_id            uuid         references batches (id),
    profile_id          bigint       not null references profiles (id),
    euicc_id            bigint       not null references euiccs (id),
    -- null while PLANNED; set (and the key SPENT) in the transaction that reserves it.
    one_time_key_id     bigint       unique references one_time_keys (id),
    transaction_id      bytea        unique,
    state               varchar(16)  not null,
    attempt             integer      not null,
    previous_binding_id bigint       references bindings (id),
    result_code         varchar(64),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now()
);
create index bindings_batch_state on bindings (batch_id, state);
create index bindings_planned on bindings (id) where state = 'PLANNED';
create index bindings_profile on bindings (profile_id);
-- A profile is bound to at most one live binding at a time.
create unique index bindings_one_live_per_profile on bindings (profile_id)
    where state in ('PLANNED', 'RESERVED', 'BOUND', 'INSTALLED');

create table outbox (
    id           bigserial primary key,
    binding_id   bigint       not null unique references bindings (id),
    eid          varchar(32)  not null,
    iccid        varchar(20)  not null,
    transaction_id bytea      not null,
    payload      bytea        not null,
    state        varchar(16)  not null,
    upload_key   uuid,
    attempts     integer      not null default 0,
    next_attempt_at timestamptz not null default now(),
    created_at   timestamptz  not null default now(),
    sent_at      timestamptz
);
-- Bound packages are ciphertext: do not waste CPU trying to compress them.
alter table outbox alter column payload set storage external;
alter table profiles alter column protected_segments set storage external;
create index outbox_pending on outbox (next_attempt_at, id) where state = 'PENDING';

create table audit_log (
    seq         bigint       primary key,
    at          timestamptz  not null,
    actor       varchar(64)  not null,
    action      varchar(64)  not null,
    subject     varchar(200) not null,
    details     text         not null,
    prev_hash   bytea        not null,
    hash        bytea        not null
);

-- The head of the audit chain: one row, locked by every append, so sequence numbers have no gaps
-- and a deleted tail is detectable (the head names the last sequence number and its hash).
create table audit_head (
    id        integer primary key check (id = 1),
    seq       bigint  not null,
    hash      bytea   not null
);
insert into audit_head (id, seq, hash) values (1, 0, decode(repeat('00', 32), 'hex'));

create table idempotency (
    principal     varchar(32)  not null,
    idem_key      varchar(128) not null,
    request_hash  bytea        not null,
    status        integer      not null,
    content_type  varchar(128),
    body          bytea,
    created_at    timestamptz  not null default now(),
    primary key (principal, idem_key)
);

create table broker_cursor (
    name    varchar(32) primary key,
    cursor  varchar(256) not null
);
