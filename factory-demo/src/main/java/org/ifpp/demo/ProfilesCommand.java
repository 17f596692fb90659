package org.ifpp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code factory-line profiles}: writes N distinct-ICCID copies of the TS.48 test profiles. */
@Command(
    name = "profiles",
    mixinStandardHelpOptions = true,
    description = "Writes N copies of the TS.48 test profiles with distinct ICCIDs (<iccid>.der).")
public final class ProfilesCommand implements Callable<Integer> {

  @Option(names = "--from", required = true, description = "directory of template *.der UPPs")
  Path from;

  @Option(names = "--to", required = true, description = "output directory")
  Path to;

  @Option(names = "--count", required = true)
  int count;

  @Option(names = "--iccid-prefix", defaultValue = "8949449999")
  String prefix;

  @Option(names = "--first", defaultValue = "1")
  long first;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(to);
    List<ProfileCopies.Profile> profiles =
        ProfileCopies.generate(ProfileCopies.templates(from), count, prefix, first);
    for (ProfileCopies.Profile p : profiles) {
      Files.write(to.resolve(p.iccid().value() + ".der"), p.der());
    }
    System.err.println(profiles.size() + " profiles written to " + to);
    return 0;
  }
}
