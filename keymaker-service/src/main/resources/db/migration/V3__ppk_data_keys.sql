-- Envelope encryption of PPKs (docs/key-hierarchy.md). A data key is a random AES-256 key, stored
-- only wrapped by the HSM's KEK (AES-GCM in the token, AAD = 'ifpp-ppk-data-key:' || id); it
-- encrypts the PPKs of at most one import batch (bounded number of profiles) in software, AES-GCM
-- with AAD = 'ifpp-ppk/2:' || ICCID || ':' || data key id. The binder unwraps a data key once per
-- chunk instead of making one HSM call per binding.
--
-- profiles.ppk_format: 1 = ppk_nonce/ppk_wrapped are the PPKs wrapped directly by the KEK (every
-- profile imported before this migration; still read), 2 = they are sealed under the data key
-- ppk_data_key_id.
create table ppk_data_keys (
    id          uuid primary key,
    nonce       bytea        not null,
    wrapped     bytea        not null,
    kek_label   varchar(64)  not null,
    created_at  timestamptz  not null default now()
);

alter table profiles add column ppk_format smallint not null default 1;
alter table profiles add column ppk_data_key_id uuid references ppk_data_keys (id);
alter table profiles add constraint profiles_ppk_form check (
    (ppk_format = 1 and ppk_data_key_id is null) or (ppk_format = 2 and ppk_data_key_id is not null));
