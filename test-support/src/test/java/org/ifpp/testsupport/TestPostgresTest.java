package org.ifpp.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

  @Test
  void newDatabase_isARealEmptyPostgres() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("smoke");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        ResultSet rs = c.createStatement().executeQuery("select version()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("PostgreSQL");
    }
    assertThat(TestPostgres.newDatabase("smoke").jdbcUrl()).isNotEqualTo(db.jdbcUrl());
  }
}
