-- One Idempotency-Key implementation for the services (service-web, IdempotencyService): the
-- answer of a successful POST is stored with the operation's own transaction. Replaces the
-- response cache of the former servlet filter.
drop table if exists idempotency;

create table idempotency_record (
    client_name     varchar(64)  not null,
    idempotency_key varchar(200) not null,
    operation       varchar(64)  not null,
    request_hash    bytea        not null,
    response_status integer,
    response_body   bytea,
    created_at      timestamptz  not null,
    primary key (client_name, idempotency_key)
);

create index idempotency_record_created_idx on idempotency_record (created_at);
