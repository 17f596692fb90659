package org.ifpp.euicc.card.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ifpp.crypto.ids.Eid;
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
                    System.out,
                    System.err))
        .hasMessageContaining("no simulator state");
  }
}
