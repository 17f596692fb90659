package org.ifpp.broker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
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
      int port = freePort();
      Path log = Files.createTempFile("child-broker-", ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.add("-cp");
      cmd.add(mainClasspath());
      cmd.add("org.ifpp.broker.FactoryBrokerApplication");
      cmd.add("--server.port=" + port);
      cmd.add("--spring.datasource.url=" + db.jdbcUrl());
      cmd.add("--spring.datasource.username=" + db.username());
      cmd.add("--spring.datasource.password=" + db.password());
      cmd.add("--logging.structured.format.console=");
      cmd.addAll(List.of(extraArgs));
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ChildBroker child = new ChildBroker(p, port, log);
      child.awaitReady(Duration.ofMinutes(3));
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
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("child broker exited: " + tail());
      }
      try {
        if (client.get("/actuator/health/readiness", null).status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // connection refused while starting
      }
      sleep(250);
    }
    process.destroyForcibly();
    throw new IllegalStateException("child broker not ready in time: " + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** This JVM's class path without test classes (resolving a surefire manifest-only jar). */
  static String mainClasspath() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.contains("surefirebooter") && e.endsWith(".jar")) {
        try (JarFile jar = new JarFile(e)) {
          String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
          for (String url : cp.trim().split("\\s+")) {
            entries.add(Path.of(URI.create(url)).toString());
          }
        }
      } else {
        entries.add(e);
      }
    }
    return entries.stream()
        .filter(e -> !e.contains("test-classes"))
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
