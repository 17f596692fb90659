package org.ifpp.keymaker.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.profiles.ProfileJdbcRepository;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bindings table keeps only indexes that a query or a constraint needs (V4), and the service's
 * queries on it are still served by an index (sequential scans disabled, so the plan shows whether
 * an index can serve the query at all, whatever the table size).
 */
@SpringBootTest
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BindingIndexesIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Autowired JdbcTemplate jdbc;
  @Autowired TransactionTemplate tx;

  @Test
  void bindingsIndexes_areThoseAQueryOrAConstraintUses() {
    List<String> indexes =
        jdbc.queryForList(
            "select indexname from pg_indexes where tablename = 'bindings' order by indexname",
            String.class);
    assertThat(indexes)
        .containsExactlyInAnyOrder(
            "bindings_pkey",
            "bindings_one_time_key_id_key",
            "bindings_transaction_id_key",
            "bindings_batch",
            "bindings_planned",
            "bindings_one_live_per_profile");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // BindingWorker: claim a chunk.
        "select b.id from bindings b where b.planned order by b.id limit 64",
        // BindingService: planned bindings per chip (key availability check).
        "select euicc_id, count(*) from bindings where planned and euicc_id = any"
            + " ('{1,2}'::bigint[]) group by euicc_id",
        // BindingService: batch progress.
        "select state, count(*) from bindings where batch_id ="
            + " '00000000-0000-0000-0000-000000000001'::uuid group by state",
        // ResultService, BindingRebinder: by transactionId.
        "select id from bindings where transaction_id = '\\x00'::bytea",
        // Rebinding, updates: by id.
        "select batch_id, profile_id from bindings where id = 1",
        // A live binding of a profile (the one-live rule's lookup).
        "select id from bindings where live_profile_id = 1",
        // BindingRecovery: RESERVED bindings at start-up.
        "select id from bindings where live_profile_id is not null and state = 'RESERVED'"
            + " order by id"
      })
  void bindingsQuery_isServedByAnIndex(String query) {
    assertThat(plan(query)).contains("Index").doesNotContain("Seq Scan");
  }

  @Test
  void markBound_probesThePrimaryKeyOnly_neverScansTheLiveBindingIndex() {
    String ids =
        java.util.stream.IntStream.rangeClosed(1, 64)
            .mapToObj(Integer::toString)
            .collect(java.util.stream.Collectors.joining(",", "'{", "}'"));
    String plan =
        tx.execute(
            s -> {
              // A realistic table: many live bindings, analysed (rolled back afterwards).
              jdbc.update(
                  "insert into euiccs (eid, curve, euicc_certificate, eum_certificate) values"
                      + " ('89049032000000000000000000009999', 'P256', '\\x00', '\\x00')");
              jdbc.update(
                  "insert into profiles (iccid, pool, state, protected_segments, ppk_nonce,"
                      + " ppk_wrapped, kek_label) select '8949449999' || lpad(g::text, 9, '0'),"
                      + " 'idx', 'ALLOCATED', '\\x00', '\\x00', '\\x00', 'k' from"
                      + " generate_series(1, 20000) g");
              jdbc.update(
                  "insert into bindings (profile_id, euicc_id, state, attempt) select p.id,"
                      + " (select id from euiccs where eid = '89049032000000000000000000009999'),"
                      + " case when p.id % 4 = 0 then 'BOUND' else 'PLANNED' end, 1 from profiles p"
                      + " where p.pool = 'idx'");
              jdbc.execute("analyze bindings");
              String out = explain(BindingRepository.MARK_BOUND.replace("?", ids));
              s.setRollbackOnly();
              return out;
            });
    // With the plain guard {@code b.state = 'RESERVED'} this plan was an index scan on state
    // (bindings_batch_state, every row of the table); the worker's form probes the primary key.
    assertThat(plan).contains("bindings_pkey").doesNotContain("one_live");
  }

  @Test
  void noIndexUsesState_soReservedToBoundIsAHotUpdate() {
    List<String> definitions =
        jdbc.queryForList(
            "select indexdef from pg_indexes where tablename = 'bindings'", String.class);
    assertThat(definitions).noneMatch(d -> d.matches("(?s).*\\bstate\\b.*"));
    long[] hot =
        tx.execute(
            s -> {
              jdbc.update(
                  "insert into euiccs (eid, curve, euicc_certificate, eum_certificate) values"
                      + " ('89049032000000000000000000008888', 'P256', '\\x00', '\\x00')");
              jdbc.update(
                  "insert into one_time_keys (euicc_id, key_index, public_key, state) select"
                      + " e.id, g, int4send(g), 'SPENT' from euiccs e, generate_series(1, 10) g"
                      + " where e.eid = '89049032000000000000000000008888'");
              jdbc.update(
                  "insert into profiles (iccid, pool, state, protected_segments, ppk_nonce,"
                      + " ppk_wrapped, kek_label) select '8949448888' || lpad(g::text, 9, '0'),"
                      + " 'hot', 'ALLOCATED', '\\x00', '\\x00', '\\x00', 'k' from"
                      + " generate_series(1, 10) g");
              jdbc.update(
                  "insert into bindings (profile_id, euicc_id, state, attempt) select p.id,"
                      + " e.id, 'PLANNED', 1 from profiles p, euiccs e where p.pool = 'hot' and"
                      + " e.eid = '89049032000000000000000000008888'");
              // RESERVED as the worker does it: key and transactionId set (never HOT: both are
              // in unique indexes).
              jdbc.update(
                  "update bindings b set state = 'RESERVED', one_time_key_id = k.id,"
                      + " transaction_id = int4send(k.key_index) from one_time_keys k, profiles p"
                      + " where p.id = b.profile_id and p.pool = 'hot' and k.key_index ="
                      + " substring(p.iccid from 11)::int and k.euicc_id = b.euicc_id");
              long before = hotUpdates();
              Long[] ids =
                  jdbc.queryForList(
                          "select b.id from bindings b join profiles p on p.id = b.profile_id"
                              + " where p.pool = 'hot'",
                          Long.class)
                      .toArray(Long[]::new);
              int bound = jdbc.update(BindingRepository.MARK_BOUND, (Object) ids);
              long after = hotUpdates();
              s.setRollbackOnly();
              return new long[] {bound, after - before};
            });
    assertThat(hot[0]).isEqualTo(10);
    // Every RESERVED -> BOUND update was HOT: no new entry in any of the indexes.
    assertThat(hot[1]).isEqualTo(10);
  }

  @Test
  void protectedHead_isTheFirstBytesTheBinderReads_withoutTouchingTheStoredSegments() {
    Object[] row =
        tx.execute(
            s -> {
              jdbc.update(
                  "insert into profiles (iccid, pool, state, protected_segments, ppk_nonce,"
                      + " ppk_wrapped, kek_label) values ('8949447777000000001', 'head', 'AVAILABLE',"
                      + " (select string_agg(to_hex(g % 256), '')::bytea from generate_series(1,"
                      + " 20000) g), '\\x00', '\\x00', 'k')");
              Object[] out =
                  jdbc.queryForObject(
                      "select protected_head = substring(protected_segments from 1 for ?),"
                          + " octet_length(protected_head), octet_length(protected_segments)"
                          + " from profiles where iccid = '8949447777000000001'",
                      (rs, i) -> new Object[] {rs.getBoolean(1), rs.getInt(2), rs.getInt(3)},
                      ProfileJdbcRepository.HEAD_PREFIX);
              s.setRollbackOnly();
              return out;
            });
    assertThat(row[0]).isEqualTo(true);
    assertThat(row[1]).isEqualTo(ProfileJdbcRepository.HEAD_PREFIX);
    assertThat((Integer) row[2]).isGreaterThan(ProfileJdbcRepository.HEAD_PREFIX);
  }

  /** HOT updates of bindings in this transaction so far. */
  private long hotUpdates() {
    return jdbc.queryForObject(
        "select n_tup_hot_upd from pg_stat_xact_user_tables where relname = 'bindings'",
        Long.class);
  }

  private String explain(String query) {
    return String.join("\n", jdbc.queryForList("explain " + query, String.class));
  }

  private String plan(String query) {
    return tx.execute(
        s -> {
          jdbc.execute("set local enable_seqscan = off");
          return String.join("\n", jdbc.queryForList("explain " + query, String.class));
        });
  }
}
