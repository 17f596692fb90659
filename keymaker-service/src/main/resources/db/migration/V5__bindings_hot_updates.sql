-- Fewer index entries per binding (docs/keymaker-design.md, benchmark 2026-11-27 07:22).
--
-- A binding row is written three times: PLANNED (insert), RESERVED (key and transactionId set:
-- always a non-HOT update, the two unique indexes must change) and BOUND. PostgreSQL makes an
-- update HOT (no new index entry in any index) only if no column that an index uses, as a key or
-- in its predicate, changes value, and the new version fits on the same page. `state` was in
-- three indexes (bindings_batch_state's key, the predicates of bindings_planned and of
-- bindings_one_live_per_profile), so RESERVED -> BOUND (and BOUND -> INSTALLED) wrote a new entry
-- into all six indexes. Now no index uses `state`:
--
-- * the live-binding rule and the planned queue are indexed on stored generated columns that
--   are derived from `state` but keep their value between RESERVED, BOUND and INSTALLED (the rule
--   itself is unchanged: at most one binding per profile in PLANNED, RESERVED, BOUND, INSTALLED);
-- * the batch-progress index is on batch_id alone (the few rows of a batch are read to count
--   their states);
-- * bindings leave half of each page free, so the BOUND version fits next to the RESERVED one.
--
-- The unique indexes on one_time_key_id and transaction_id no longer hold an entry for each
-- PLANNED binding's NULLs (NULLs never conflict; every lookup is by a value).
alter table bindings add column live_profile_id bigint generated always as (
    case when state in ('PLANNED', 'RESERVED', 'BOUND', 'INSTALLED') then profile_id end) stored;
alter table bindings add column planned boolean generated always as (state = 'PLANNED') stored;

drop index bindings_one_live_per_profile;
create unique index bindings_one_live_per_profile on bindings (live_profile_id)
    where live_profile_id is not null;

drop index bindings_planned;
create index bindings_planned on bindings (id) where planned;

drop index bindings_batch_state;
create index bindings_batch on bindings (batch_id);

alter table bindings drop constraint bindings_one_time_key_id_key;
create unique index bindings_one_time_key_id_key on bindings (one_time_key_id)
    where one_time_key_id is not null;
alter table bindings drop constraint bindings_transaction_id_key;
create unique index bindings_transaction_id_key on bindings (transaction_id)
    where transaction_id is not null;

-- (fillfactor applies to pages written from now on; existing pages fill up as before.)
alter table bindings set (fillfactor = 50);
