package org.ifpp.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The port a Spring Boot server in a child process really listens on. The child is started with
 * {@link #ANY_PORT}, so its Tomcat binds port 0 and the kernel picks a free port at that moment;
 * the port is then read from Tomcat's start-up line in the child's log. No port is probed, released
 * and raced for by another process before the child binds it.
 */
public final class ChildServerPort {

  /** The argument that makes a Spring Boot child bind whatever port is free. */
  public static final String ANY_PORT = "--server.port=0";

  private static final Pattern STARTED = Pattern.compile("Tomcat started on ports? (\\d+)");

  private ChildServerPort() {}

  /**
   * Waits until {@code log} shows the port the child's Tomcat started on.
   *
   * @throws org.awaitility.core.ConditionTimeoutException if it does not within {@code timeout}
   * @throws org.awaitility.core.TerminalFailureException at once if {@code process} exits first
   */
  public static int await(Path log, Process process, Duration timeout) {
    return Awaitility.await("the port of the server logging to " + log)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .failFast("the process exited before its server started", () -> !process.isAlive())
        .until(() -> find(log), OptionalInt::isPresent)
        .getAsInt();
  }

  /** The last port a Tomcat start-up line in {@code log} names, if there is one yet. */
  static OptionalInt find(Path log) {
    try {
      Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
      OptionalInt port = OptionalInt.empty();
      while (m.find()) {
        port = OptionalInt.of(Integer.parseInt(m.group(1)));
      }
      return port;
    } catch (NoSuchFileException notYet) {
      return OptionalInt.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
