package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerItSupport;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

/**
 * GENS09: no plain profile byte in the broker's database. A dump of the whole database (pg_dump, or
 * COPY of every table where pg_dump is missing) is searched for the distinctive byte runs of a
 * known TS.48 profile, after packages, results and clients were stored; the uploaded opaque bytes
 * themselves must be found, stored as is, which shows the search can see bytea content.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class DatabaseDumpIT extends BrokerItSupport {

  private static final int RUN = 24;

  @Test
  void dump_containsTheUploadedBytesAsIs_andNoRunOfAPlainProfile() throws Exception {
    byte[] profile =
        Files.readAllBytes(TestPackages.testData().resolve("profiles/TS48V1-A-UNIQUE.der"));
    String f = unique("F");
    String line = createLine(f, "L1");
    List<Pkg> pkgs = packages(3, 12_000);
    upload(unique("B"), f, pkgs);
    claim(line, pkgs.get(0).eid());
    report(
        line,
        pkgs.get(0).tx(),
        "installed",
        TestPackages.installationResult(pkgs.get(0).tx(), new Random()));

    String dump = dump().toLowerCase();
    for (Pkg p : pkgs) {
      assertThat(dump).contains(HexFormat.of().formatHex(p.bpp()));
    }
    List<byte[]> runs = distinctiveRuns(profile);
    assertThat(runs).hasSizeGreaterThan(100);
    for (byte[] run : runs) {
      assertThat(containsRun(dump, run)).as("profile run found in the dump").isFalse();
    }
    // The detector does find a profile when one is there.
    assertThat(containsRun(HexFormat.of().formatHex(profile), runs.get(runs.size() / 2))).isTrue();
  }

  /** Runs of the profile that carry information (not padding), every 64 bytes. */
  private static List<byte[]> distinctiveRuns(byte[] profile) {
    List<byte[]> runs = new ArrayList<>();
    for (int off = 0; off + RUN <= profile.length; off += 64) {
      byte[] run = java.util.Arrays.copyOfRange(profile, off, off + RUN);
      long distinct = new String(run, StandardCharsets.ISO_8859_1).chars().distinct().count();
      if (distinct >= 8) {
        runs.add(run);
      }
    }
    return runs;
  }

  private static boolean containsRun(String lowerCaseDump, byte[] run) {
    return lowerCaseDump.contains(HexFormat.of().formatHex(run))
        || lowerCaseDump.contains(new String(run, StandardCharsets.ISO_8859_1).toLowerCase());
  }

  private static String dump() throws Exception {
    TestPostgres.Database db = database();
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    try {
      Path out = Files.createTempFile("broker-dump-", ".sql");
      Process p =
          new ProcessBuilder(
                  "pg_dump",
                  "--host=" + uri.getHost(),
                  "--port=" + uri.getPort(),
                  "--username=" + db.username(),
                  "--file=" + out,
                  uri.getPath().substring(1))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(out) > 0) {
        System.out.println("DatabaseDumpIT: searched a pg_dump of " + Files.size(out) + " bytes");
        return Files.readString(out, StandardCharsets.ISO_8859_1);
      }
    } catch (java.io.IOException noPgDump) {
      // fall through to COPY
    }
    System.out.println("DatabaseDumpIT: pg_dump unavailable, searched COPY of every table");
    return copyAllTables(db);
  }

  private static String copyAllTables(TestPostgres.Database db) throws Exception {
    StringWriter w = new StringWriter();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      List<String> tables = new ArrayList<>();
      try (var rs =
          c.createStatement()
              .executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + t + " TO STDOUT", w);
      }
    }
    return w.toString();
  }
}
