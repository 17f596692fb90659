package org.ifpp.keymaker.testing;

import org.ifpp.keymaker.hsm.HsmProperties;
import org.ifpp.testsupport.TestPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh PostgreSQL database and fresh keys on the test token, for one Spring test context. */
public final class TestEnvironment {

  private TestEnvironment() {}

  /** Registers a new database and bootstrapped HSM keys; returns the HSM properties. */
  public static HsmProperties register(DynamicPropertyRegistry registry) {
    TestPostgres.Database db = TestPostgres.newDatabase("keymaker");
    registry.add("spring.datasource.url", db::jdbcUrl);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    HsmProperties hsm = TestHsm.bootstrapped();
    TestHsm.register(hsm, registry);
    return hsm;
  }
}
