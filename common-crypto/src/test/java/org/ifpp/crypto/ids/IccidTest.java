package org.ifpp.crypto.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IccidTest {

  @Test
  void swappedBcd_roundTrips() {
    Iccid iccid = Iccid.of("89000123456789012341");
    byte[] wire = iccid.toBytes();
    assertThat(HexFormat.of().formatHex(wire)).isEqualTo("98001032547698103214");
    assertThat(Iccid.fromBytes(wire)).isEqualTo(iccid);
  }

  @Test
  void nineteenDigits_arePaddedWithF() {
    assertThat(HexFormat.of().formatHex(Iccid.of("8900012345678901234").toBytes()))
        .isEqualTo("980010325476981032f4");
  }

  @Test
  void invalidBcd_isRejected() {
    assertThatThrownBy(() -> Iccid.fromBytes(HexFormat.of().parseHex("98494499999999a90032")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
