package org.ifpp.demo;

import org.ifpp.line.FactoryLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The demo's orchestrator (docs/demo.md), apart from the line driver a factory runs: the whole IFPP
 * flow against three running services with the attacks of the threat model ({@code demo-flow}), a
 * throwaway embedded PostgreSQL ({@code postgres}), distinct-ICCID copies of the TS.48 test
 * profiles ({@code profiles}) and the search of dumps and logs for plain profile bytes ({@code
 * scan}). The lines themselves are factory-line's, used as a library.
 */
@Command(
    name = "factory-demo",
    mixinStandardHelpOptions = true,
    version = "factory-demo 0.1.0",
    subcommands = {
      DemoFlowCommand.class,
      PostgresCommand.class,
      ProfilesCommand.class,
      ScanCommand.class
    },
    description = "The IFPP demo: the whole flow against running services, and its helpers.")
public final class FactoryDemo {

  private FactoryDemo() {}

  public static void main(String[] args) {
    FactoryLine.preferNativeTls(); // it drives the lines over TLS
    System.exit(new CommandLine(new FactoryDemo()).execute(args));
  }
}
