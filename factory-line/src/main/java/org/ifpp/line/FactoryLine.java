package org.ifpp.line;

import org.ifpp.crypto.provider.AccpSupport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The factory side of IFPP (IFPP.md section 4, step 5): a production-line driver (the MES) that
 * talks to the untrusted broker and to the chips. The demo's commands are in factory-demo.
 */
@Command(
    name = "factory-line",
    mixinStandardHelpOptions = true,
    version = "factory-line 0.1.0",
    subcommands = {
      RunCommand.class,
      FinaliseCommand.class,
      ReportCommand.class,
    },
    description =
        "IFPP production lines: claim, download, install, report; finalise; the loading report.")
public final class FactoryLine {

  private FactoryLine() {}

  public static void main(String[] args) {
    preferNativeTls();
    System.exit(new CommandLine(new FactoryLine()).execute(args));
  }

  /**
   * For a process that drives lines: its bulk crypto is TLS, run natively when ACCP loads ({@link
   * AccpSupport#preferForTls()}); a warning with the reason when it does not.
   */
  public static void preferNativeTls() {
    if (!AccpSupport.preferForTls()) {
      LoggerFactory.getLogger(FactoryLine.class)
          .warn("TLS without native crypto: ACCP {}", AccpSupport.status());
    }
  }
}
