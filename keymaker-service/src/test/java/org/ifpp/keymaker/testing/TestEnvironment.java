package org.ifpp.keymaker.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.ifpp.keymaker.KeyMakerApplication;
import org.ifpp.keymaker.hsm.HsmProperties;
import org.ifpp.testsupport.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh PostgreSQL database and fresh keys on the test token, for one Spring test context. */
public final class TestEnvironment {

  private TestEnvironment() {}

  public static final String OPERATOR_TOKEN = "operator-token-for-tests-0001";
  public static final String BROKER_TOKEN = "broker-token-for-tests-00002";

  /** Registers a new database and bootstrapped HSM keys; returns the HSM properties. */
  public static HsmProperties register(DynamicPropertyRegistry registry) {
    return register(registry, UnaryOperator.identity());
  }

  /** The same, the application reaching its database through {@code jdbcUrl.apply(real URL)}. */
  public static HsmProperties register(
      DynamicPropertyRegistry registry, UnaryOperator<String> jdbcUrl) {
    TestPostgres.Database db = TestPostgres.newDatabase("keymaker");
    String url = jdbcUrl.apply(db.jdbcUrl());
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    registry.add("keymaker.api.operator-token", () -> OPERATOR_TOKEN);
    registry.add("keymaker.api.broker-token", () -> BROKER_TOKEN);
    String checkpoints = tempDirectory("audit-checkpoints").toString();
    registry.add("keymaker.audit.checkpoints.directory", () -> checkpoints);
    String ci = TestHsm.ciFile().toString();
    registry.add("keymaker.trust.ci-certificates", () -> ci);
    HsmProperties hsm = TestHsm.bootstrapped();
    TestHsm.register(hsm, registry);
    return hsm;
  }

  /**
   * The same settings as a map, for a Key Maker started as an application (in this JVM or a child
   * process) on a free port, pointed at {@code broker}: a new database named from {@code database},
   * fresh HSM keys.
   */
  public static Map<String, Object> properties(String database, BrokerStub broker) {
    Map<String, Object> p = new HashMap<>();
    TestPostgres.Database db = TestPostgres.newDatabase(database);
    p.put("spring.datasource.url", db.jdbcUrl());
    p.put("spring.datasource.username", db.username());
    p.put("spring.datasource.password", db.password());
    HsmProperties hsm = TestHsm.bootstrapped();
    p.put("keymaker.hsm.library", hsm.library());
    p.put("keymaker.hsm.token-label", hsm.tokenLabel());
    p.put("keymaker.hsm.pin", hsm.pin());
    p.put("keymaker.hsm.signing-key-label", hsm.signingKeyLabel());
    p.put("keymaker.hsm.kek-label", hsm.kekLabel());
    p.put("keymaker.api.operator-token", OPERATOR_TOKEN);
    p.put("keymaker.api.broker-token", BROKER_TOKEN);
    p.put("keymaker.trust.ci-certificates", TestHsm.ciFile().toString());
    p.put("keymaker.audit.checkpoints.directory", tempDirectory("audit-checkpoints").toString());
    p.put("keymaker.broker.base-url", broker.baseUrl());
    p.put("keymaker.broker.token", BrokerStub.TOKEN);
    p.put("server.port", "0");
    return p;
  }

  /**
   * Starts a Key Maker in this JVM with these settings, as command-line arguments (they win over
   * application.properties; default properties do not).
   */
  public static ConfigurableApplicationContext start(Map<String, Object> properties) {
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(KeyMakerApplication.class).run(args);
  }

  /** The port a Key Maker started by {@link #start} listens on. */
  public static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  private static java.nio.file.Path tempDirectory(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
