package org.ifpp.crypto.tlv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ifpp.crypto.testing.Vectors.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlvReaderTest {

  private static TlvErrorCode codeOf(String hexInput, TlvLimits limits) {
    try {
      TlvReader.readTree(hex(hexInput), limits);
    } catch (TlvException e) {
      return e.code();
    }
    throw new AssertionError("no TlvException for " + hexInput);
  }

  private static TlvErrorCode codeOf(String hexInput) {
    return codeOf(hexInput, TlvLimits.DEFAULT);
  }

  @Test
  void multiByteTags_areRead() {
    List<Tlv> all =
        TlvReader.readAll(hex("bf360100" + "5f490102" + "8600" + "9f7f0101"), TlvLimits.DEFAULT);
    assertThat(all).extracting(Tlv::tag).containsExactly(0xBF36, 0x5F49, 0x86, 0x9F7F);
    assertThat(all.get(1).value()).containsExactly(2);
    assertThat(all.get(0).tagHex()).isEqualTo("BF36");
  }

  @Test
  void longFormLengths_upToFourBytes_areRead() {
    assertThat(
            TlvReader.readSingle(hex("8681" + "80" + "00".repeat(128)), TlvLimits.DEFAULT)
                .valueLength())
        .isEqualTo(128);
    assertThat(
            TlvReader.readSingle(hex("868201f4" + "00".repeat(500)), TlvLimits.DEFAULT)
                .valueLength())
        .isEqualTo(500);
    assertThat(TlvReader.readSingle(hex("86840000000101"), TlvLimits.DEFAULT).valueLength())
        .isEqualTo(1);
  }

  @Test
  void nonMinimalLength_isAccepted_andKeptVerbatim() {
    Tlv t = TlvReader.readSingle(hex("86810101"), TlvLimits.DEFAULT);
    assertThat(t.value()).containsExactly(1);
    assertThat(t.encoded()).isEqualTo(hex("86810101"));
    assertThat(t.header()).isEqualTo(hex("868101"));
  }

  @Test
  void nestedChildren_areParsed() {
    Tlv root = TlvReader.readSingle(hex("bf2308" + "820101" + "a603800188"), TlvLimits.DEFAULT);
    assertThat(root.isConstructed()).isTrue();
    assertThat(root.children()).extracting(Tlv::tag).containsExactly(0x82, 0xA6);
    assertThat(root.child(0xA6).orElseThrow().child(0x80).orElseThrow().value())
        .containsExactly(0x88);
    assertThat(root.child(0x99)).isEmpty();
  }

  @Test
  void errors_haveTheirCodes() {
    assertThat(codeOf("86")).isEqualTo(TlvErrorCode.TRUNCATED);
    assertThat(codeOf("8605 0102")).isEqualTo(TlvErrorCode.TRUNCATED);
    assertThat(codeOf("bf")).isEqualTo(TlvErrorCode.TRUNCATED);
    assertThat(codeOf("8682 01")).isEqualTo(TlvErrorCode.TRUNCATED);
    assertThat(codeOf("8680 0000")).isEqualTo(TlvErrorCode.INDEFINITE_LENGTH);
    assertThat(codeOf("8685 0000000001 00")).isEqualTo(TlvErrorCode.LENGTH_OVERFLOW);
    assertThat(codeOf("86ff")).isEqualTo(TlvErrorCode.LENGTH_OVERFLOW);
    assertThat(codeOf("8684 ffffffff")).isEqualTo(TlvErrorCode.LENGTH_OVERFLOW);
    assertThat(codeOf("0000")).isEqualTo(TlvErrorCode.BAD_TAG);
    assertThat(codeOf("1f0500")).isEqualTo(TlvErrorCode.BAD_TAG);
    assertThat(codeOf("1f800100")).isEqualTo(TlvErrorCode.BAD_TAG);
    assertThat(codeOf("1f81818100")).isEqualTo(TlvErrorCode.BAD_TAG);
    assertThat(codeOf("a003 860500")).isEqualTo(TlvErrorCode.TRUNCATED);
  }

  @Test
  void trailingData_afterASingleObject_isRejected() {
    assertThatThrownBy(() -> TlvReader.readSingle(hex("860100ff"), TlvLimits.DEFAULT))
        .isInstanceOfSatisfying(
            TlvException.class, e -> assertThat(e.code()).isEqualTo(TlvErrorCode.TRAILING_DATA));
  }

  @Test
  void limits_areEnforced() {
    TlvLimits small = new TlvLimits(8, 2, 4);
    assertThat(codeOf("8605 0000000000", small)).isEqualTo(TlvErrorCode.OVERSIZE);
    assertThat(codeOf("860100 860100 860100", small)).isEqualTo(TlvErrorCode.OVERSIZE);
    assertThat(codeOf("a004 a002 a000", small)).isEqualTo(TlvErrorCode.TOO_DEEP);
    assertThat(TlvReader.readTree(hex("a002a000"), small)).hasSize(1);
  }

  @Test
  void deepNesting_stopsAtTheDepthLimit_withoutStackOverflow() {
    byte[] deep = new byte[0];
    for (int i = 0; i < 2000; i++) {
      deep = TlvWriter.encode(0xA0, deep);
    }
    byte[] input = deep;
    assertThatThrownBy(() -> TlvReader.readTree(input, TlvLimits.DEFAULT))
        .isInstanceOfSatisfying(
            TlvException.class, e -> assertThat(e.code()).isEqualTo(TlvErrorCode.TOO_DEEP));
  }

  @Test
  void toString_showsTagAndLengthOnly() {
    assertThat(Tlv.of(0x86, hex("0102")).toString()).isEqualTo("Tlv[86, 2 bytes]");
  }
}
