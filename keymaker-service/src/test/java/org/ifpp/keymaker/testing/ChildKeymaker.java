package org.ifpp.keymaker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.ifpp.testsupport.ChildClasspath;
import org.ifpp.testsupport.ChildServerPort;

/**
 * The Key Maker application in a separate JVM (main classes and dependencies only), configured by
 * command-line properties, so a test can kill it with SIGKILL as a crash would. It inherits this
 * JVM's environment ({@code SOFTHSM2_CONF}: the same SoftHSM token as the test's own contexts).
 */
public final class ChildKeymaker implements AutoCloseable {

  // Generous: on a loaded 2-core machine a Key Maker JVM has taken over 3 minutes to start.
  private static final Duration STARTUP = Duration.ofMinutes(8);

  private final Process process;
  private final int port;
  private final Path log;

  private ChildKeymaker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts it with these properties (as {@code --key=value}) and waits until it is ready. */
  public static ChildKeymaker start(Map<String, Object> properties) {
    try {
      Path log = Files.createTempFile("child-keymaker-", ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.add("-cp");
      cmd.add(ChildClasspath.main());
      cmd.add("org.ifpp.keymaker.KeyMakerApplication");
      properties.forEach(
          (k, v) -> {
            if (!k.equals("server.port")) {
              cmd.add("--" + k + "=" + v);
            }
          });
      cmd.add(ChildServerPort.ANY_PORT);
      cmd.add("--ifpp.web.plain-http=true");
      cmd.add("--logging.structured.format.console=");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int port;
      try {
        port = ChildServerPort.await(log, p, STARTUP);
      } catch (RuntimeException e) {
        p.destroyForcibly();
        throw new IllegalStateException("child key maker did not start: " + tail(log), e);
      }
      ChildKeymaker child = new ChildKeymaker(p, port, log);
      child.awaitReady(STARTUP);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook, no clean stop, its lease is simply no longer renewed. */
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
    Api api = Api.operator(port);
    try {
      Awaitility.await("child key maker ready")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .failFast("child key maker exited", () -> !process.isAlive())
          .until(() -> api.get("/actuator/health/readiness").status() == 200);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw new IllegalStateException("child key maker not ready: " + tail(log), e);
    }
  }

  /** The last lines of its log. */
  public String tail() {
    return tail(log);
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
