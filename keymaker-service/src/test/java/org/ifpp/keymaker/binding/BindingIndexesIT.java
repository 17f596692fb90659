package org.ifpp.keymaker.binding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
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
            "bindings_batch_state",
            "bindings_planned",
            "bindings_one_live_per_profile");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // BindingWorker: claim a chunk.
        "select b.id from bindings b where b.state = 'PLANNED' order by b.id limit 64",
        // BindingService: planned bindings per chip (key availability check).
        "select euicc_id, count(*) from bindings where state = 'PLANNED' and euicc_id = any"
            + " ('{1,2}'::bigint[]) group by euicc_id",
        // BindingService: batch progress.
        "select state, count(*) from bindings where batch_id ="
            + " '00000000-0000-0000-0000-000000000001'::uuid group by state",
        // ResultService, BindingRebinder: by transactionId.
        "select id from bindings where transaction_id = '\\x00'::bytea",
        // Rebinding, updates: by id.
        "select batch_id, profile_id from bindings where id = 1",
        // A live binding of a profile (the one-live rule's lookup).
        "select id from bindings where profile_id = 1 and state in ('PLANNED', 'RESERVED',"
            + " 'BOUND', 'INSTALLED')"
      })
  void bindingsQuery_isServedByAnIndex(String query) {
    String plan =
        tx.execute(
            s -> {
              jdbc.execute("set local enable_seqscan = off");
              return String.join("\n", jdbc.queryForList("explain " + query, String.class));
            });
    assertThat(plan).contains("Index").doesNotContain("Seq Scan");
  }
}
