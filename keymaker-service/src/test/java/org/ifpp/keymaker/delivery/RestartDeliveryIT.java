package org.ifpp.keymaker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.BrokerStub;
import org.ifpp.keymaker.testing.OperatorSteps;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Key Maker stopped in the middle of a batch (broker down, then an answer lost after the broker
 * stored a batch, and a reservation left behind as by a crash) and started again: every profile
 * ends up bound exactly once, every package reaches the broker, and the broker never sees a package
 * twice. And several dispatchers at once send every group exactly once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class RestartDeliveryIT {

  static final int PROFILES = 60;

  @Test
  void restartMidBatch_losesNothing_andSendsNothingTwice() throws Exception {
    try (BrokerStub broker = BrokerStub.start()) {
      Map<String, Object> props = properties(broker);
      broker.mode(BrokerStub.Mode.DOWN);

      ConfigurableApplicationContext first = TestEnvironment.start(props);
      importAndBind(Api.operator(TestEnvironment.port(first)), "restart", 200, 8_000_000L);
      JdbcTemplate jdbc1 = first.getBean(JdbcTemplate.class);
      waitUntil(() -> count(jdbc1, "select count(*) from bindings where state = 'BOUND'") >= 12);
      waitUntil(() -> broker.requests() >= 1);
      // Broker comes back but loses its first answer after storing the batch.
      broker.mode(BrokerStub.Mode.LOSE_NEXT_ANSWER);
      waitUntil(() -> broker.storedCount() >= 1);
      first.close(); // mid-batch

      // As if the process had died between spending a key and storing its package.
      JdbcTemplate jdbc = new JdbcTemplate(dataSource(props));
      Long planned =
          jdbc
              .queryForList(
                  "select id from bindings where state = 'PLANNED' order by id limit 1", Long.class)
              .stream()
              .findFirst()
              .orElse(null);
      if (planned != null) {
        Long key =
            jdbc.queryForObject(
                "update one_time_keys set state = 'SPENT', spent_at = now() where id = (select k.id"
                    + " from one_time_keys k join bindings b on b.euicc_id = k.euicc_id where b.id"
                    + " = ? and k.state = 'AVAILABLE' order by k.key_index limit 1) returning id",
                Long.class,
                planned);
        jdbc.update(
            "update bindings set state = 'RESERVED', one_time_key_id = ?,"
                + " transaction_id = decode(md5(random()::text), 'hex') where id = ?",
            key,
            planned);
      }

      ConfigurableApplicationContext second = TestEnvironment.start(props);
      try {
        JdbcTemplate jdbc2 = second.getBean(JdbcTemplate.class);
        waitUntil(
            () ->
                count(jdbc2, "select count(*) from outbox where state = 'SENT'") == PROFILES
                    && count(jdbc2, "select count(*) from bindings where state = 'BOUND'")
                        == PROFILES);
        // Each profile bound exactly once (live), each package delivered once.
        assertThat(
                count(
                    jdbc2, "select count(distinct profile_id) from bindings where state = 'BOUND'"))
            .isEqualTo(PROFILES);
        assertThat(count(jdbc2, "select count(*) from outbox")).isEqualTo(PROFILES);
        assertThat(broker.duplicates()).isZero();
        assertThat(broker.storedCount()).isEqualTo(PROFILES);
        List<String> sent = new ArrayList<>();
        for (byte[] tx : jdbc2.queryForList("select transaction_id from outbox", byte[].class)) {
          sent.add(HexFormat.of().withUpperCase().formatHex(tx));
        }
        assertThat(broker.storedTransactionIds()).containsExactlyInAnyOrderElementsOf(sent);
        if (planned != null) {
          assertThat(
                  count(
                      jdbc2,
                      "select count(*) from bindings where state = 'ABANDONED' and result_code ="
                          + " 'interrupted'"))
              .isEqualTo(1);
        }
        assertThat(broker.lastCertificate()).isNotBlank();
        assertThat(
                Api.operator(TestEnvironment.port(second))
                    .get("/api/v1/audit/verify")
                    .json()
                    .get("intact")
                    .asBoolean())
            .isTrue();
      } finally {
        second.close();
      }
    }
  }

  @Test
  void severalDispatchers_sendEveryGroupOnce() throws Exception {
    try (BrokerStub broker = BrokerStub.start()) {
      Map<String, Object> props = properties(broker);
      props.put("keymaker.broker.dispatchers", "3");
      props.put("keymaker.broker.upload-batch-size", "4");
      props.put("keymaker.binding.workers", "2");
      ConfigurableApplicationContext ctx = TestEnvironment.start(props);
      try {
        importAndBind(Api.operator(TestEnvironment.port(ctx)), "dispatchers", 300, 8_100_000L);
        JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
        waitUntil(
            () -> count(jdbc, "select count(*) from outbox where state = 'SENT'") == PROFILES);
        assertThat(broker.storedCount()).isEqualTo(PROFILES);
        assertThat(broker.duplicates()).isZero();
        assertThat(broker.replays()).as("a group sent twice").isZero();
        // One request per group (groups take what is pending, up to 4).
        assertThat(broker.requests())
            .isEqualTo(count(jdbc, "select count(distinct upload_key) from outbox"));
        assertThat(
                count(
                    jdbc,
                    "select count(*) from (select upload_key from outbox group by upload_key"
                        + " having count(*) > 4) g"))
            .isZero();
      } finally {
        ctx.close();
      }
    }
  }

  /**
   * Imports {@link #PROFILES} profiles into {@code pool} (ICCIDs from {@code firstIccid}), the
   * eUICC data of two chips (from {@code firstChip}), and binds every profile.
   */
  private static void importAndBind(Api api, String pool, int firstChip, long firstIccid)
      throws Exception {
    OperatorSteps.importProfiles(api, pool, firstIccid, PROFILES);
    List<TestChips.Chip> chips = new ArrayList<>();
    List<String> eids = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      TestChips.Chip chip = TestChips.chip(firstChip + c, PROFILES);
      chips.add(chip);
      for (int i = 0; i < PROFILES / 2; i++) {
        eids.add(chip.eid().value());
      }
    }
    OperatorSteps.importChips(api, chips);
    assertThat(api.postJson("/api/v1/bindings", Map.of("pool", pool, "eids", eids)).status())
        .isEqualTo(202);
  }

  private static Map<String, Object> properties(BrokerStub broker) {
    Map<String, Object> p = TestEnvironment.properties("keymaker_restart", broker);
    p.put("keymaker.broker.upload-batch-size", "10");
    p.put("keymaker.broker.dispatch-interval", "50ms");
    p.put("keymaker.binding.workers", "1");
    p.put("keymaker.binding.chunk", "2");
    return p;
  }

  private static javax.sql.DataSource dataSource(Map<String, Object> p) {
    org.springframework.jdbc.datasource.DriverManagerDataSource ds =
        new org.springframework.jdbc.datasource.DriverManagerDataSource(
            (String) p.get("spring.datasource.url"),
            (String) p.get("spring.datasource.username"),
            (String) p.get("spring.datasource.password"));
    return ds;
  }

  private static long count(JdbcTemplate jdbc, String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  private static void waitUntil(BooleanSupplier condition) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }
}
