package org.ifpp.line.chip.pcsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ifpp.crypto.tlv.TlvWriter.encode;
import static org.ifpp.crypto.tlv.TlvWriter.encodeConstructed;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class Es10bSegmentsTest {

  private static String hex(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  @Test
  void cutsAsSgp22Says_andTheSegmentsConcatenateToThePackage() {
    byte[] bf23 = encodeConstructed(0xBF23, encode(0x82, new byte[] {1}));
    byte[] a0 = encodeConstructed(0xA0, encode(0x87, new byte[24]));
    byte[] m1 = encode(0x88, new byte[31]);
    byte[] a2 = encodeConstructed(0xA2, encode(0x87, new byte[56]));
    byte[] s1 = encode(0x86, new byte[1016]);
    byte[] s2 = encode(0x86, new byte[40]);
    byte[] a1 = encodeConstructed(0xA1, m1);
    byte[] a3 = encodeConstructed(0xA3, s1, s2);
    byte[] bpp = encodeConstructed(0xBF36, bf23, a0, a1, a2, a3);

    List<byte[]> segments = Es10bSegments.split(bpp);

    assertThat(segments).hasSize(8);
    assertThat(hex(segments.get(0))).startsWith("BF3682").endsWith(hex(bf23));
    assertThat(segments.get(1)).isEqualTo(a0);
    assertThat(hex(segments.get(2))).isEqualTo("A121");
    assertThat(segments.get(3)).isEqualTo(m1);
    assertThat(segments.get(4)).isEqualTo(a2);
    assertThat(hex(segments.get(5))).isEqualTo("A3820426");
    assertThat(segments.get(6)).isEqualTo(s1);
    assertThat(segments.get(7)).isEqualTo(s2);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    segments.forEach(all::writeBytes);
    assertThat(all.toByteArray()).isEqualTo(bpp);
  }

  @Test
  void somethingElse_isRefused() {
    assertThatThrownBy(() -> Es10bSegments.split(encode(0xBF37, new byte[0])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Es10bSegments.split(
                    encodeConstructed(0xBF36, encodeConstructed(0xA0, encode(0x87, new byte[1])))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
