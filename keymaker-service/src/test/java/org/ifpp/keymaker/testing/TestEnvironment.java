package org.ifpp.keymaker.testing;

import java.util.function.UnaryOperator;
import org.ifpp.keymaker.hsm.HsmProperties;
import org.ifpp.testsupport.TestPostgres;
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

  private static java.nio.file.Path tempDirectory(String prefix) {
    try {
      return java.nio.file.Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
