package org.ifpp.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildServerPortTest {

  @TempDir Path dir;

  @Test
  void tomcatStartLine_givesThePort_plainOrStructuredLog() throws Exception {
    Path log = dir.resolve("child.log");
    Files.writeString(
        log,
        "starting\n"
            + "{\"message\":\"Tomcat started on port 41234 (http) with context path '/'\"}\n");
    assertThat(ChildServerPort.find(log)).hasValue(41234);
  }

  @Test
  void noStartLineYet_orNoLogYet_isEmpty() throws Exception {
    assertThat(ChildServerPort.find(dir.resolve("absent.log"))).isEmpty();
    Path log = dir.resolve("child.log");
    Files.writeString(log, "Tomcat initialized with port 0 (http)\n");
    assertThat(ChildServerPort.find(log)).isEmpty();
  }

  @Test
  void aRestartedChild_givesItsLatestPort() throws Exception {
    Path log = dir.resolve("child.log");
    Files.writeString(
        log, "Tomcat started on port 40001 (http)\n...\nTomcat started on port 40002 (http)\n");
    assertThat(ChildServerPort.find(log)).hasValue(40002);
  }

  @Test
  void aChildThatExits_failsAtOnce_notAfterTheTimeout() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> ChildServerPort.await(dir.resolve("child.log"), exited, Duration.ofMinutes(1)))
        .isInstanceOf(TerminalFailureException.class)
        .hasMessageContaining("exited");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }
}
