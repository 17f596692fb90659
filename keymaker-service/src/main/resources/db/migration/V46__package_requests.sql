-- Binding on request (docs/orders.md): each package request pulled from the broker, once per
-- request id (a request seen again is never bound again). PLANNED while the accepted chips'
-- packages are being bound and delivered, READY once the answer is complete, ANSWERED once the
-- broker stored it. The answer names transactionIds and refusal codes only.
create table package_requests (
    request_id   uuid         primary key,
    order_id     uuid         not null,
    factory      varchar(64)  not null,
    line         varchar(64),
    batch_id     uuid,
    state        varchar(16)  not null,
    refused      jsonb        not null,
    answer       jsonb,
    received_at  timestamptz  not null default now(),
    answered_at  timestamptz
);
create index package_requests_open on package_requests (state) where state <> 'ANSWERED';
