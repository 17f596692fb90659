-- The latest receipt the Key Maker refused per registered chip (its code only; the receipt itself
-- is not kept): the per-order finalisation view counts a chip REFUSED while it has such a refusal
-- and no verified receipt (docs/finalisation.md).
create table finalisation_receipt_refusals (
    euicc_id    bigint       primary key references euiccs (id),
    code        text         not null,
    refused_at  timestamptz  not null default now()
);
