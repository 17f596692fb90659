package org.ifpp.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests and the demo, chosen by availability rather than by a flag: a
 * Testcontainers PostgreSQL where a Docker engine answers (a laptop, hosted CI), otherwise zonky's
 * embedded PostgreSQL binaries (no Docker, nothing to install). One server per JVM, started lazily;
 * {@link #newDatabase(String)} gives each test class its own empty database.
 */
public final class TestPostgres {

  private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile Server server;

  private TestPostgres() {}

  /** Connection coordinates of one database. */
  public record Database(String jdbcUrl, String username, String password) {}

  private record Server(String host, int port, String username, String password, String kind) {
    String url(String db) {
      return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }
  }

  /** Creates a fresh, empty database on the shared server. */
  public static Database newDatabase(String prefix) {
    Server s = server();
    String name =
        (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
            + "_"
            + ProcessHandle.current().pid()
            + "_"
            + COUNTER.incrementAndGet());
    try (Connection c = DriverManager.getConnection(s.url("postgres"), s.username, s.password);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new Database(s.url(name), s.username, s.password);
  }

  /** Which kind of server backs this JVM: {@code testcontainers} or {@code embedded}. */
  public static String kind() {
    return server().kind;
  }

  private static Server server() {
    Server s = server;
    if (s == null) {
      synchronized (TestPostgres.class) {
        s = server;
        if (s == null) {
          s = start();
          server = s;
        }
      }
    }
    return s;
  }

  /**
   * One server serves every test of a JVM, and Spring's test context cache keeps several
   * application contexts alive, each with its own connection pool (the Key Maker's holds 40): the
   * server's default of 100 connections ran out once a module had three cached contexts.
   */
  private static final String MAX_CONNECTIONS = "400";

  private static Server start() {
    if (dockerAvailable()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.withCommand("postgres", "-c", "max_connections=" + MAX_CONNECTIONS);
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      log.info("PostgreSQL for tests: Testcontainers {}", container.getJdbcUrl());
      return new Server(
          container.getHost(),
          container.getMappedPort(5432),
          container.getUsername(),
          container.getPassword(),
          "testcontainers");
    }
    try {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
      b.setServerConfig("max_connections", MAX_CONNECTIONS);
      String extra = System.getProperty("ifpp.test.pg.config", "");
      for (String kv : extra.split(";")) {
        if (kv.contains("=")) {
          b.setServerConfig(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      EmbeddedPostgres pg = b.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
      log.info("PostgreSQL for tests: embedded on port {}", pg.getPort());
      return new Server("localhost", pg.getPort(), "postgres", "postgres", "embedded");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
