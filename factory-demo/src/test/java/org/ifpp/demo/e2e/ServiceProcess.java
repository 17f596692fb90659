package org.ifpp.demo.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.ifpp.testsupport.ChildServerPort;

/**
 * One service of the stack as a separate JVM process, as in production: started with its own
 * environment (secrets travel there, never on the command line), logs to a file, readiness polled
 * on {@code /actuator/health/readiness}. Stop is SIGTERM, {@link #kill()} is SIGKILL (a crash). The
 * command names {@link ChildServerPort#ANY_PORT}: the first start binds a port the kernel picks,
 * read from the log; a restart keeps that port, since the other services hold its URL.
 */
final class ServiceProcess {

  private final String name;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final SSLContext tls;
  private int port; // 0 until the first start has bound one
  private Process process;

  /**
   * @param tls the trust of the service's HTTPS certificate (the stack's CA), or null for a service
   *     serving plain HTTP
   */
  ServiceProcess(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path log,
      SSLContext tls) {
    this.name = name;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.tls = tls;
  }

  URI url() {
    return URI.create((tls == null ? "http" : "https") + "://localhost:" + port());
  }

  /** The port the service listens on: the kernel's choice at the first start, waited for. */
  int port() {
    if (port == 0) {
      try {
        port = ChildServerPort.await(log, process, READY_WITHIN);
      } catch (RuntimeException e) {
        throw new IllegalStateException(name + " did not start; log tail:\n" + tail(), e);
      }
    }
    return port;
  }

  Path log() {
    return log;
  }

  ServiceProcess start() throws IOException {
    List<String> cmd = new ArrayList<>(command);
    if (port != 0) {
      cmd.replaceAll(a -> a.equals(ChildServerPort.ANY_PORT) ? "--server.port=" + port : a);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(environment);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    return this;
  }

  /**
   * How long a service JVM may take to answer ready. A Boot service starts in about 30 s on an idle
   * machine; on a shared 2-core CI machine at a load average near 40 a restarted broker was still
   * initialising Hibernate after 3 minutes (2026-12-06), so the bound leaves room for that.
   */
  static final Duration READY_WITHIN = Duration.ofMinutes(6);

  /** {@link #awaitReady(Duration)} within {@link #READY_WITHIN}. */
  void awaitReady() {
    awaitReady(READY_WITHIN);
  }

  void awaitReady(Duration timeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      builder.sslContext(tls);
    }
    HttpClient client = builder.build();
    HttpRequest readiness =
        HttpRequest.newBuilder(url().resolve("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      Awaitility.await(name + " ready")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
          .failFast(name + " exited", () -> !process.isAlive())
          .until(
              () ->
                  client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode()
                      == 200);
    } catch (RuntimeException e) {
      throw new IllegalStateException(name + " not ready; log tail:\n" + tail(), e);
    }
  }

  boolean running() {
    return process != null && process.isAlive();
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
