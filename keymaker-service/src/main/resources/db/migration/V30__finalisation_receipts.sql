-- The chips' signed finalisation receipts (GENS13, DMF03/EUICCF03), each verified with the chip's
-- CERT.EUICC before it is stored; one row per accepted (chip, counter).
create table finalisation_receipts (
    id                    bigserial    primary key,
    euicc_id              bigint       not null references euiccs (id),
    counter               bigint       not null,
    one_time_keys_deleted bigint       not null,
    receipt               bytea        not null,
    received_at           timestamptz  not null default now(),
    unique (euicc_id, counter)
);
