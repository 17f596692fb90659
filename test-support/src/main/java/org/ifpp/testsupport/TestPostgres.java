package org.ifpp.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * A real PostgreSQL server for tests and the demo, chosen by what works rather than by a flag: a
 * Testcontainers PostgreSQL where a Docker engine answers and its image is present or pulls in
 * time, otherwise zonky's embedded PostgreSQL binaries (no Docker, nothing to install); one log
 * line says which and why ({@link PostgresChoice}). One server per JVM, started lazily; {@link
 * #newDatabase(String)} gives each test class its own empty database.
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
  private static final String MAX_CONNECTIONS = "600";

  /** The public image tried first; IFPP_TEST_POSTGRES_IMAGE names another (a local stand-in). */
  private static final String DEFAULT_IMAGE = "postgres:16-alpine";

  private static Server start() {
    PostgresChoice choice =
        PostgresChoice.choose(
            new DockerProbe(),
            setting("ifpp.test.postgres.image", "IFPP_TEST_POSTGRES_IMAGE", DEFAULT_IMAGE),
            TestcontainersConfiguration.getInstance().getRyukImage(),
            "true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")),
            Duration.ofSeconds(
                Long.parseLong(
                    setting(
                        "ifpp.test.postgres.pull-timeout",
                        "IFPP_TEST_POSTGRES_PULL_TIMEOUT",
                        "30"))));
    if (choice.testcontainers()) {
      try {
        Server s = startContainer(choice.image());
        log.info("PostgreSQL for tests: {} on port {}", choice.reason(), s.port());
        return s;
      } catch (RuntimeException e) {
        choice = PostgresChoice.embedded(choice.image() + " did not start: " + e.getMessage());
      }
    }
    Server s = startEmbedded();
    log.info("PostgreSQL for tests: {}; on port {}", choice.reason(), s.port());
    return s;
  }

  private static Server startContainer(String image) {
    PostgreSQLContainer container =
        new PostgreSQLContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
    container.withCommand("postgres", "-c", "max_connections=" + MAX_CONNECTIONS);
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
    stopAtExit(container::stop);
    return new Server(
        container.getHost(),
        container.getMappedPort(5432),
        container.getUsername(),
        container.getPassword(),
        "testcontainers");
  }

  private static Server startEmbedded() {
    try {
      // Its own shutdown hook would stop the server while the contexts close: ours stops it after.
      // The data directory (every test database: tens of thousands of files) is removed by a
      // process of its own, so deleting it does not hold up the JVM's exit.
      Path data = Files.createTempDirectory("ifpp-test-pg-");
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setRegisterShutdownHook(false)
              .setCleanDataDirectory(false)
              .setDataDirectory(data);
      b.setServerConfig("max_connections", MAX_CONNECTIONS);
      String extra = System.getProperty("ifpp.test.pg.config", "");
      for (String kv : extra.split(";")) {
        if (kv.contains("=")) {
          b.setServerConfig(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
      }
      EmbeddedPostgres pg = b.start();
      stopAtExit(
          () -> {
            closeQuietly(pg);
            deleteInBackground(data);
          });
      return new Server("localhost", pg.getPort(), "postgres", "postgres", "embedded");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /**
   * Stops the server when the JVM exits, but only after Spring Boot's shutdown hook has closed the
   * tests' application contexts. JVM shutdown hooks run concurrently: a server stopped in a hook of
   * its own went away while a context was still stopping, its binder threads then waited in the
   * connection pool for a database that was gone, and the test fork overran Surefire's 30 s exit
   * limit ("Surefire is going to kill self fork JVM"). In a JVM without Spring Boot the server
   * stops at once.
   */
  private static void stopAtExit(Runnable stop) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  awaitSpringContextsClosed();
                  stop.run();
                },
                "test-postgres-stop"));
  }

  /** Spring Boot's hook thread; the JVM starts every hook at once, so it is looked for after. */
  private static final String SPRING_HOOK = "SpringApplicationShutdownHook";

  private static void awaitSpringContextsClosed() {
    try {
      Thread.sleep(200);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (SPRING_HOOK.equals(t.getName())) {
          t.join(25_000); // within Surefire's 30 s, whatever the contexts do
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A system property, else an environment variable, else the default. */
  private static String setting(String property, String variable, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(variable);
    }
    return v == null || v.isBlank() ? fallback : v;
  }

  private static void deleteInBackground(Path dir) {
    try {
      new ProcessBuilder("rm", "-rf", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      log.warn("embedded PostgreSQL's data directory {} left behind: {}", dir, e.getMessage());
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
