package org.ifpp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ifpp}: make, open and inspect SGP.22 Bound Profile Packages (IFPP.md section 5). Exit 0 on
 * success; on bad input a non-zero exit and one clear line on stderr, never a stack trace.
 */
@Command(
    name = "ifpp",
    mixinStandardHelpOptions = true,
    version = "ifpp 0.1.0",
    description = "Make, open and inspect SGP.22 Bound Profile Packages (IFPP, GSMA SGP.41).",
    subcommands = {
      BindCommand.class,
      OpenCommand.class,
      InspectCommand.class,
      KeygenCommand.class,
      DeviceMakerCommand.class,
      PkiCommand.class,
      CommandLine.HelpCommand.class
    })
public final class IfppCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs one command line; returns the exit code. Used by {@link #main} and by tests. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new IfppCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("ifpp: " + ex.getMessage());
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CliException cli) {
            err.println("ifpp: " + cli.getMessage());
            return cli.exitCode();
          }
          // Unexpected: still one line, no stack trace, no secret material in the message.
          err.println("ifpp: internal error (" + ex.getClass().getSimpleName() + ")");
          return 70;
        });
    return cl.execute(args);
  }
}
