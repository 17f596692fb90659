package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.ifpp.euicc.card.asn1.rspdefinitions.GetEuiccDataResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.NotificationSentResponse;
import org.junit.jupiter.api.Test;

/** The compiled-ASN.1 check refuses what a strict SGP.22 decoder would. */
class Sgp22DerTest {

  private static final String EID = "5A1089049032123451234512345678901235";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void acceptsTheExactValue() {
    Sgp22Der.decode(hex("BF3E12" + EID), GetEuiccDataResponse::new);
    Sgp22Der.decode(hex("BF3003800100"), NotificationSentResponse::new);
  }

  @Test
  void refusesAnUnknownComponent_aWrongTag_trailingBytes_andALongFormLength() {
    // an extra component the extensible module skips when decoding: re-encoding shows it
    assertThatThrownBy(
            () -> Sgp22Der.decode(hex("BF3E15" + EID + "810100"), GetEuiccDataResponse::new))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Sgp22Der.decode(hex("BF3F12" + EID), GetEuiccDataResponse::new))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Sgp22Der.decode(hex("BF3E12" + EID + "00"), GetEuiccDataResponse::new))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> Sgp22Der.decode(hex("BF3E8112" + EID), GetEuiccDataResponse::new))
        .isInstanceOf(AssertionError.class);
  }
}
