-- bindings_profile (profile_id) serves no query: nothing reads bindings by profile alone, and the
-- live-binding rule has its own unique partial index (bindings_one_live_per_profile). Every binding
-- row is written three times (PLANNED, RESERVED, BOUND) and state changes are never HOT updates
-- (state is in partial-index predicates), so each index costs PostgreSQL three entries per binding.
-- Profiles are never deleted, so the foreign key profile_id -> profiles(id) needs no index either.
drop index bindings_profile;
