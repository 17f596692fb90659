package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.ifpp.broker.support.BrokerClient.Response;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With PostgreSQL refusing connections, claims, exports and token checks answer 503 problem+json
 * {@code database-unavailable} with Retry-After (issue 13.3), never Spring's default 500; a request
 * without credentials stays 401; everything answers normally again once the database is back.
 */
@Timeout(120)
class DatabaseOutageIT extends BrokerItSupport {

  @Test
  void databaseDown_is503WithRetryAfter_andAuthenticationFailuresStay401() throws Exception {
    String factory = unique("F");
    String line = createLine(factory, "L1");
    Pkg pkg = packages(1, 100).get(0);
    upload(unique("B"), factory, List.of(pkg));

    String database = database().jdbcUrl().substring(database().jdbcUrl().lastIndexOf('/') + 1);
    try {
      admin(
          "ALTER DATABASE " + database + " ALLOW_CONNECTIONS false",
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "'");

      assertUnavailable(claim(line, pkg.eid()));
      assertUnavailable(api.get("/api/v1/results", KEYMAKER_TOKEN));
      // An unknown token cannot be told from a valid one without the database: 503, not 401.
      assertUnavailable(api.get("/api/v1/results", "unknown-token-0123456789"));
      Response none = api.get("/api/v1/results", null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.code()).isEqualTo("missing-credentials");
    } finally {
      admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(claim(line, pkg.eid()).status()).isEqualTo(200));
    Response unknown = api.get("/api/v1/results", "unknown-token-0123456789");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.code()).isEqualTo("invalid-credentials");
  }

  private static void assertUnavailable(Response r) {
    assertThat(r.status()).as(r.text()).isEqualTo(503);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo("database-unavailable");
    assertThat(r.header("Retry-After")).isNotBlank();
    assertThat(r.text()).doesNotContain("Exception", "org.", "jdbc");
  }

  private static void admin(String... statements) throws SQLException {
    String url = database().jdbcUrl();
    String postgres = url.substring(0, url.lastIndexOf('/') + 1) + "postgres";
    try (Connection c =
            DriverManager.getConnection(postgres, database().username(), database().password());
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }
}
