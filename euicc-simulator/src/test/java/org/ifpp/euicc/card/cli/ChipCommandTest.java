package org.ifpp.euicc.card.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.loading.Es10bSegmenter;
import org.ifpp.euicc.loading.LoadFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChipCommandTest {

  @TempDir Path dir;

  @Test
  void list_printsEveryChipWithItsModeKeysAndIccids() throws Exception {
    LoadFixture sim = new LoadFixture(dir);
    Eid a = sim.newChip();
    Eid b = sim.newChip();
    assertThat(sim.load(a, sim.bind(a, 0)).installed()).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        ChipCommand.run(
            ChipOptions.parse(new String[] {"--state-dir", dir.toString(), "--list"}),
            InputStream.nullInputStream(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(rc).isZero();
    String iccid = sim.status(a).profiles().get(0).iccid().value();
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactlyInAnyOrder(
            a.value() + "  production  one-time-keys=3  iccids=" + iccid,
            b.value() + "  production  one-time-keys=4  iccids=-");
  }

  @Test
  void badCommandLines_areRefusedWithAReason() {
    assertThatThrownBy(() -> ChipOptions.parse(new String[] {"--list"}))
        .hasMessageContaining("--state-dir");
    assertThatThrownBy(() -> ChipOptions.parse(new String[] {"--state-dir", "x"}))
        .hasMessageContaining("--list or --eid");
    assertThatThrownBy(
            () ->
                ChipOptions.parse(
                    new String[] {"--state-dir", "x", "--eid", "1", "--stdio", "--vpcd", "1"}))
        .hasMessageContaining("--vpcd");
    assertThatThrownBy(
            () ->
                ChipOptions.parse(new String[] {"--state-dir", "x", "--eid", "1", "--vpcd", "h:0"})
                    .vpcd())
        .hasMessageContaining("[HOST:]PORT");
    assertThat(
            ChipOptions.parse(new String[] {"--state-dir", "x", "--eid", "1", "--vpcd", "35964"})
                .vpcd()
                .getPort())
        .isEqualTo(35964);
    assertThatThrownBy(
            () ->
                ChipCommand.run(
                    ChipOptions.parse(
                        new String[] {"--state-dir", dir.resolve("no").toString(), "--list"}),
                    InputStream.nullInputStream(),
                    System.out,
                    System.err))
        .hasMessageContaining("no simulator state");
  }

  @Test
  void stdio_loadsAPackageAsAnLpaWould_intoTheStateDirectory_andEndsAtDisconnect()
      throws Exception {
    LoadFixture sim = new LoadFixture(dir);
    Eid eid = sim.newChip();
    byte[] bpp = sim.bind(eid, 0);
    Path ci = Files.write(dir.resolve("keymaker-ci.der"), sim.ci.certificate().getEncoded());
    List<String> requests = new ArrayList<>();
    requests.add(request("connect", ""));
    requests.add(request("logic_channel_open", "A0000005591010FFFFFFFF8900000100"));
    storeData(requests, TlvWriter.encode(0xF4, sim.keyMaker.certificateDer()));
    for (byte[] segment : Es10bSegmenter.split(bpp)) {
      storeData(requests, segment);
    }
    requests.add(request("disconnect", ""));
    requests.add(request("transmit", "00")); // after disconnect: not read
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        ChipCommand.run(
            ChipOptions.parse(
                new String[] {
                  "--state-dir",
                  dir.toString(),
                  "--eid",
                  eid.value(),
                  "--stdio",
                  "--trusted-ci",
                  ci.toString()
                }),
            new ByteArrayInputStream(String.join("\n", requests).getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(rc).isZero();
    List<String> answers = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(answers).hasSize(requests.size() - 1);
    assertThat(answers.get(answers.size() - 2)).contains("\"data\":\"BF37");
    // what the card did is what the simulator finds at its next start
    sim.restart();
    assertThat(sim.status(eid).profiles()).hasSize(1);
    assertThat(sim.remaining(eid)).isEqualTo(3);
  }

  private static String request(String func, String param) {
    return "{\"type\":\"apdu\",\"payload\":{\"func\":\""
        + func
        + "\",\"param\":\""
        + param
        + "\"}}";
  }

  /** STORE DATA on channel 1 in blocks of 255, Le on the last one (as an LPA chains them). */
  private static void storeData(List<String> requests, byte[] command) {
    HexFormat hex = HexFormat.of().withUpperCase();
    int blocks = (command.length + 254) / 255;
    for (int i = 0; i < blocks; i++) {
      byte[] block = Arrays.copyOfRange(command, i * 255, Math.min(command.length, (i + 1) * 255));
      boolean last = i == blocks - 1;
      String header = String.format("81E2%02X%02X%02X", last ? 0x91 : 0x11, i, block.length);
      requests.add(request("transmit", header + hex.formatHex(block) + (last ? "00" : "")));
    }
  }
}
