package org.ifpp.demo.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the stack as a separate JVM process, as in production: started with its own
 * environment (secrets travel there, never on the command line), logs to a file, readiness polled
 * on {@code /actuator/health/readiness}. Stop is SIGTERM, {@link #kill()} is SIGKILL (a crash).
 */
final class ServiceProcess {

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final int port;
  private Process process;

  ServiceProcess(
      String name, List<String> command, Map<String, String> environment, Path log, int port) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.port = port;
  }

  URI url() {
    return URI.create("http://localhost:" + port);
  }

  Path log() {
    return log;
  }

  ServiceProcess start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(environment);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    return this;
  }

  void awaitReady(Duration timeout) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + "; log tail:\n" + tail());
      }
      try {
        HttpResponse<Void> r =
            client.send(
                HttpRequest.newBuilder(url().resolve("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        name + " not ready after " + timeout + "; log tail:\n" + tail());
  }

  /** SIGKILL: the process dies at once, as in a crash. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL after 20 s. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
