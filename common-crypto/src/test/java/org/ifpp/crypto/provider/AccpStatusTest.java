package org.ifpp.crypto.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AccpSupport#status()}: what the services log at start, including why ACCP did not load
 * when its native library cannot be unpacked (as in a container whose /tmp is noexec).
 */
class AccpStatusTest {

  @Test
  void here_accpIsLoaded() {
    assumeThat(AccpSupport.provider()).isPresent();

    assertThat(AccpSupport.status()).startsWith("loaded, AmazonCorrettoCryptoProvider ");
    assertThat(AccpSupport.failedToLoad()).isFalse();
  }

  @Test
  void aLibraryThatCannotBeUnpacked_isReportedWithItsReason(@TempDir Path dir) throws Exception {
    assumeThat(AccpSupport.provider()).isPresent();
    Path notADirectory = Files.writeString(dir.resolve("file"), "not a directory");

    String status = childJvm("-Dcom.amazon.corretto.crypto.provider.tmpdir=" + notADirectory);

    assertThat(status).startsWith("true not loaded: ");
  }

  @Test
  void switchedOff_isNoFailure() throws Exception {
    assertThat(childJvm("-Difpp.crypto.accp=false"))
        .isEqualTo("false off (ifpp.crypto.accp=false)");
  }

  /** The child's line: whether ACCP failed to load, and its status. */
  public static void main(String[] args) {
    System.out.println(AccpSupport.failedToLoad() + " " + AccpSupport.status());
  }

  private static String childJvm(String property) throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                property,
                "-cp",
                System.getProperty("java.class.path"),
                AccpStatusTest.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String[] lines = out.split("\n");
    return lines[lines.length - 1].strip();
  }
}
