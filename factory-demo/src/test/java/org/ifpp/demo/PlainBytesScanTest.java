package org.ifpp.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainBytesScanTest {

  private static final Path PROFILES =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles");

  @TempDir Path dir;

  private byte[] profile() throws Exception {
    return ProfileCopies.templates(PROFILES).get(0);
  }

  @Test
  void aDumpWithTheProfileAsHex_isFound() throws Exception {
    byte[] p = profile();
    Files.writeString(
        dir.resolve("dump.sql"),
        "COPY package_content (bpp) FROM stdin;\n\\\\x" + HexFormat.of().formatHex(p));

    List<PlainBytesScan.Hit> hits = new PlainBytesScan(p, 32, 4).scan(List.of(dir));

    assertThat(hits).extracting(PlainBytesScan.Hit::encoding).contains("hex");
  }

  @Test
  void aLogWithAPieceOfTheProfileInBase64_isFound_atAnyAlignment() throws Exception {
    byte[] p = profile();
    for (int cut = 0; cut < 3; cut++) {
      Path log = dir.resolve("log" + cut);
      byte[] piece = Arrays.copyOfRange(p, 1000 + cut, p.length - 100);
      Files.writeString(log, "{\"msg\":\"" + Base64.getEncoder().encodeToString(piece) + "\"}");
      assertThat(new PlainBytesScan(p, 32, 6).scan(List.of(log)))
          .extracting(PlainBytesScan.Hit::encoding)
          .contains("base64");
    }
  }

  @Test
  void unrelatedBytes_areNotFound() throws Exception {
    byte[] p = profile();
    byte[] other = p.clone();
    for (int i = 200; i < other.length; i++) {
      other[i] ^= 0x5A;
    }
    Files.write(dir.resolve("encrypted.bin"), other);
    Files.writeString(dir.resolve("log"), "nothing here", StandardCharsets.UTF_8);

    assertThat(new PlainBytesScan(p, 32, 8).scan(List.of(dir))).isEmpty();
  }
}
