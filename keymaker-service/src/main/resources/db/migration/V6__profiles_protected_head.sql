-- The binder reads only the head of a stored protected profile (ICCID, name, A3 tag and length:
-- BindingWorker.HEAD_PREFIX = 256 bytes). protected_segments is stored out of line (TOAST,
-- storage external), so reading any part of it costs PostgreSQL a TOAST table and index lookup per
-- profile (~20 us of backend time per binding in the 2026-11-27 07:22 benchmark). The first 256
-- bytes are kept in the row as well, computed by PostgreSQL (profiles' protected segments are
-- never updated); the binder reads them and the length (from the TOAST pointer, no lookup).
alter table profiles add column protected_head bytea
    generated always as (substring(protected_segments from 1 for 256)) stored;
