package org.ifpp.line;

import org.ifpp.crypto.provider.AccpSupport;
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
    // Its bulk crypto is TLS: native AES-GCM when ACCP loads (AccpSupport.preferForTls).
    AccpSupport.preferForTls();
    System.exit(new CommandLine(new FactoryLine()).execute(args));
  }
}
