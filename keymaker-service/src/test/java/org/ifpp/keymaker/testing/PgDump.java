package org.ifpp.keymaker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;

/** {@code pg_dump --data-only} of a test database, for the searches for plain secrets. */
public final class PgDump {

  private PgDump() {}

  /**
   * The data of the database a {@code jdbc:postgresql://host:port/db[?...]} URL names, as {@code
   * pg_dump} writes it (fails the test if pg_dump fails).
   */
  public static byte[] dataOnly(String jdbcUrl) throws Exception {
    String rest = jdbcUrl.substring("jdbc:postgresql://".length());
    String hostPort = rest.substring(0, rest.indexOf('/'));
    String db = rest.substring(rest.indexOf('/') + 1);
    if (db.contains("?")) {
      db = db.substring(0, db.indexOf('?'));
    }
    Process p =
        new ProcessBuilder(
                "pg_dump",
                "-h",
                hostPort.substring(0, hostPort.indexOf(':')),
                "-p",
                hostPort.substring(hostPort.indexOf(':') + 1),
                "-U",
                "postgres",
                "--data-only",
                db)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    String errors =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(errors).isZero();
    return out.toByteArray();
  }
}
