package org.ifpp.keymaker.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.ChildKeymaker;
import org.ifpp.keymaker.testing.OperatorSteps;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two Key Makers on one database and one token (issue 16, "two of each"): both bind the same batch
 * at once, then one is killed with SIGKILL mid-batch. The survivor recovers what the dead one had
 * reserved once its lease has expired, and finishes the batch: every profile bound exactly once,
 * every package stored by the broker exactly once, no one-time key spent twice, no reservation
 * taken from the live instance, and one audit chain that verifies.
 */
class TwoKeyMakersIT {

  static final int CHIPS = 16;
  static final int PER_CHIP = 40;
  static final int PROFILES = CHIPS * PER_CHIP;

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void twoInstances_oneKilledMidBatch_everyProfileBoundAndDeliveredOnce() throws Exception {
    try (BrokerStub broker = BrokerStub.start()) {
      Map<String, Object> props = properties(broker);
      Map<String, Object> propsB = withCheckpointDirectory(props);
      // B starts in its own JVM while A starts here (each takes a while on a loaded machine).
      CompletableFuture<ChildKeymaker> startB =
          CompletableFuture.supplyAsync(() -> ChildKeymaker.start(propsB));
      ConfigurableApplicationContext a = TestEnvironment.start(props);
      try (ChildKeymaker b = startB.get()) {
        JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
        UUID idA = a.getBean(InstanceLease.class).id();
        assertThat(count(jdbc, "select count(*) from keymaker_instance")).isEqualTo(2);
        UUID idB =
            jdbc.queryForObject("select id from keymaker_instance where id <> ?", UUID.class, idA);

        importAndBind(Api.operator(TestEnvironment.port(a)));

        // Both bind from the same pool at once; then B hangs mid-batch and dies. The test takes
        // B's lease row: each of B's transactions first holds it, so B can neither complete a
        // chunk nor reserve another, and what B had reserved stays RESERVED; then SIGKILL. B is
        // caught holding a reservation: the row is kept only if B still has RESERVED rows, else
        // let go at once and tried again (B may be between chunks).
        String takenByA = "select count(*) from bindings where reserved_by = '" + idA + "'";
        String boundByB =
            "select count(*) from bindings where state = 'BOUND' and reserved_by = '" + idB + "'";
        String reservedByB =
            "select count(*) from bindings where state = 'RESERVED' and reserved_by = '"
                + idB
                + "'";
        long reservedByBAtKill;
        try (Connection hang = jdbc.getDataSource().getConnection()) {
          hang.setAutoCommit(false);
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () -> {
                    if (count(jdbc, takenByA) < 8 || count(jdbc, boundByB) < 4) {
                      return false;
                    }
                    try (PreparedStatement ps =
                        hang.prepareStatement(
                            "select 1 from keymaker_instance where id = ? for update")) {
                      ps.setObject(1, idB);
                      ps.executeQuery().close();
                    }
                    if (count(jdbc, reservedByB) > 0) {
                      return true;
                    }
                    hang.rollback();
                    assertThat(count(jdbc, "select count(*) from bindings where state = 'PLANNED'"))
                        .as("profiles left for B to reserve")
                        .isPositive();
                    return false;
                  });
          b.killHard();
          reservedByBAtKill = count(jdbc, reservedByB);
          // A live instance's reservations are never recovered, however long it waits.
          assertThat(count(jdbc, "select count(*) from bindings where state = 'ABANDONED'"))
              .isZero();
          hang.rollback();
        }
        assertThat(reservedByBAtKill).as("B held reservations when it was killed").isPositive();

        waitUntil(
            () ->
                count(jdbc, "select count(*) from outbox where state = 'SENT'") == PROFILES
                    && count(jdbc, "select count(*) from bindings where state = 'BOUND'")
                        == PROFILES
                    && count(
                            jdbc,
                            "select count(*) from bindings where state in ('PLANNED',"
                                + " 'RESERVED')")
                        == 0);

        // The dead instance's lease was recovered (and its row removed) by the survivor.
        assertThat(jdbc.queryForList("select id from keymaker_instance", UUID.class))
            .containsExactly(idA);
        // Every profile bound exactly once (one live binding each), each package stored once.
        assertThat(
                count(
                    jdbc, "select count(distinct profile_id) from bindings where state = 'BOUND'"))
            .isEqualTo(PROFILES);
        assertThat(count(jdbc, "select count(*) from outbox")).isEqualTo(PROFILES);
        assertThat(broker.duplicates()).isZero();
        assertThat(broker.storedCount()).isEqualTo(PROFILES);
        List<String> sent = new ArrayList<>();
        for (byte[] tx : jdbc.queryForList("select transaction_id from outbox", byte[].class)) {
          sent.add(HexFormat.of().withUpperCase().formatHex(tx));
        }
        assertThat(broker.storedTransactionIds()).containsExactlyInAnyOrderElementsOf(sent);
        // Both instances bound part of the batch.
        assertThat(
                count(
                    jdbc,
                    "select count(*) from bindings where state = 'BOUND' and reserved_by"
                        + " = '"
                        + idA
                        + "'"))
            .isPositive();
        assertThat(
                count(
                    jdbc,
                    "select count(*) from bindings where state = 'BOUND' and reserved_by"
                        + " = '"
                        + idB
                        + "'"))
            .isPositive();
        // No one-time key used twice: every spent key belongs to exactly one binding.
        assertThat(count(jdbc, "select count(*) from one_time_keys where state = 'SPENT'"))
            .isEqualTo(
                count(jdbc, "select count(*) from bindings where one_time_key_id is not null"))
            .isEqualTo(
                count(
                    jdbc,
                    "select count(distinct one_time_key_id) from bindings"
                        + " where one_time_key_id is not null"));
        // Only the dead instance's reservations were recovered, each one once; the live
        // instance lost none.
        assertThat(
                count(
                    jdbc,
                    "select count(*) from bindings where state = 'ABANDONED' and (reserved_by"
                        + " is distinct from '"
                        + idB
                        + "' or result_code <> 'interrupted')"))
            .isZero();
        assertThat(count(jdbc, "select count(*) from bindings where state = 'ABANDONED'"))
            .as("reserved by B at the kill: %d", reservedByBAtKill)
            .isEqualTo(reservedByBAtKill);
        assertThat(
                count(
                    jdbc,
                    "select count(*) from audit_log where action = 'BINDING_ABANDONED'"
                        + " and actor = 'recovery'"))
            .isEqualTo(count(jdbc, "select count(*) from bindings where state = 'ABANDONED'"));
        // One audit chain: gapless, every link intact, the head at its last record.
        var verify = Api.operator(TestEnvironment.port(a)).get("/api/v1/audit/verify").json();
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
        assertThat(count(jdbc, "select count(*) from audit_log"))
            .isEqualTo(count(jdbc, "select seq from audit_head"));
      } finally {
        a.close();
      }
    }
  }

  private static void importAndBind(Api api) throws Exception {
    OperatorSteps.importProfiles(api, "two", 9_100_000L, PROFILES);
    List<TestChips.Chip> chips = new ArrayList<>();
    List<String> eids = new ArrayList<>();
    for (int c = 0; c < CHIPS; c++) {
      // Keys to spare: recovered bindings are re-planned on another key of the same chip.
      TestChips.Chip chip = TestChips.chip(700 + c, PER_CHIP + 20);
      chips.add(chip);
      for (int i = 0; i < PER_CHIP; i++) {
        eids.add(chip.eid().value());
      }
    }
    OperatorSteps.importChips(api, chips);
    assertThat(api.postJson("/api/v1/bindings", Map.of("pool", "two", "eids", eids)).status())
        .isEqualTo(202);
  }

  private static Map<String, Object> properties(BrokerStub broker) throws Exception {
    Map<String, Object> p = TestEnvironment.properties("keymaker_two", broker);
    p.put("spring.datasource.hikari.maximum-pool-size", "10");
    p.put("keymaker.broker.upload-batch-size", "10");
    p.put("keymaker.broker.dispatch-interval", "50ms");
    p.put("keymaker.broker.timeout", "3s"); // a dead dispatcher's group is resent after 6 s
    p.put("keymaker.binding.workers", "2");
    p.put("keymaker.binding.chunk", "4");
    p.put("keymaker.instance.lease", "5s");
    return withCheckpointDirectory(p);
  }

  /** The same settings with a checkpoint directory of its own (each instance publishes its own). */
  private static Map<String, Object> withCheckpointDirectory(Map<String, Object> p)
      throws Exception {
    Map<String, Object> out = new HashMap<>(p);
    out.put(
        "keymaker.audit.checkpoints.directory",
        Files.createTempDirectory("audit-checkpoints").toString());
    return out;
  }

  private static long count(JdbcTemplate jdbc, String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }
}
