package org.ifpp.broker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.ifpp.testsupport.ChildClasspath;
import org.ifpp.testsupport.ChildServerPort;
import org.ifpp.testsupport.TestPostgres;

/**
 * The broker application in a separate JVM (main classes and dependencies only, no test classes),
 * so a test can kill it with SIGKILL as a crash would.
 */
public final class ChildBroker implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ChildBroker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static ChildBroker start(TestPostgres.Database db, String... extraArgs) {
    try {
      Path log = Files.createTempFile("child-broker-", ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.add("-cp");
      cmd.add(ChildClasspath.main());
      cmd.add("org.ifpp.broker.FactoryBrokerApplication");
      cmd.add(ChildServerPort.ANY_PORT);
      cmd.add("--spring.datasource.url=" + db.jdbcUrl());
      cmd.add("--spring.datasource.username=" + db.username());
      cmd.add("--spring.datasource.password=" + db.password());
      cmd.add("--logging.structured.format.console=");
      cmd.add("--ifpp.web.plain-http=true");
      cmd.addAll(List.of(extraArgs));
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int port;
      try {
        port = ChildServerPort.await(log, p, Duration.ofMinutes(6));
      } catch (RuntimeException e) {
        p.destroyForcibly();
        throw new IllegalStateException("child broker did not start: " + tail(log), e);
      }
      ChildBroker child = new ChildBroker(p, port, log);
      child.awaitReady(Duration.ofMinutes(6));
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, as a power cut or the OOM killer would: no shutdown hook, no clean close. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      killHard();
    }
  }

  private void awaitReady(Duration timeout) {
    BrokerClient client = new BrokerClient(baseUrl());
    try {
      Awaitility.await("child broker ready")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions() // connection refused while starting
          .failFast("child broker exited", () -> !process.isAlive())
          .until(() -> client.get("/actuator/health/readiness", null).status() == 200);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException("child broker not ready: " + tail(log), e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
