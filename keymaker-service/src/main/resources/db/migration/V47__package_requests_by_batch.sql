-- A package bound on request goes to the line that asked (docs/orders.md): the outbox finds the
-- request of a binding's batch by this index.
create index package_requests_batch on package_requests (batch_id) where batch_id is not null;
