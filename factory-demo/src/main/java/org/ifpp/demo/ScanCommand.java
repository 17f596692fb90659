package org.ifpp.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code factory-line scan}: searches dumps and logs for plain profile bytes (GENS09). */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Searches files (a pg_dump, log files, directories) for slices of plain profiles: raw, hex,"
          + " base64.",
      "Exit status: 0 when nothing is found, 1 when a plain profile byte sequence is found."
    })
public final class ScanCommand implements Callable<Integer> {

  @Option(names = "--profiles", required = true, description = "directory of plain *.der UPPs")
  Path profiles;

  @Option(names = "--slices", defaultValue = "8", description = "slices per profile")
  int slices;

  @Parameters(arity = "1..*", description = "files or directories to search")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<PlainBytesScan.Hit> hits = new ArrayList<>();
    int needles = 0;
    for (byte[] profile : ProfileCopies.templates(profiles)) {
      PlainBytesScan scan = new PlainBytesScan(profile, 32, slices);
      needles += scan.needleCount();
      hits.addAll(scan.scan(files));
    }
    long bytes = 0;
    for (Path f : files) {
      try (var walk = Files.walk(f)) {
        bytes += walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      }
    }
    if (hits.isEmpty()) {
      System.out.printf(
          "plain-profile scan: %d needles in %d bytes of %s: none found%n", needles, bytes, files);
      return 0;
    }
    System.out.printf("plain-profile scan: FOUND %d hit(s):%n", hits.size());
    hits.forEach(
        h ->
            System.out.printf("  %s (%s, slice at %d)%n", h.file(), h.encoding(), h.sliceOffset()));
    return 1;
  }
}
