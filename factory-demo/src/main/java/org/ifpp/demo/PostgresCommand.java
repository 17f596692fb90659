package org.ifpp.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code factory-line postgres}: see {@link EmbeddedPostgresMain}. */
@Command(
    name = "postgres",
    description =
        "Starts a throwaway embedded PostgreSQL (no Docker) with the given databases, prints"
            + " PORT=<n> and runs until killed. Options: [--port N] [--data-dir DIR]"
            + " [--port-file FILE] [db...]")
public final class PostgresCommand implements Callable<Integer> {

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    EmbeddedPostgresMain.main(args.toArray(String[]::new));
    return 0;
  }
}
