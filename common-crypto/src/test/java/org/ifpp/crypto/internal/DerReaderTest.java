package org.ifpp.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.BERTags;
import org.junit.jupiter.api.Test;

class DerReaderTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void anImplicitOctetStringMustBePrimitive() throws Exception {
    // SEQUENCE { [APPLICATION 26] primitive 2 bytes, [APPLICATION 26] constructed { OCTET STRING }
    // }
    DerReader r =
        DerReader.sequence(DerReader.parse(hex("30 0a 5a 02 0102 7a 04 0402 0304"), "t"), "t");
    assertThat(DerReader.implicitOctets(r.next(BERTags.APPLICATION, 26, "a"), "a"))
        .containsExactly(1, 2);
    assertThatThrownBy(() -> DerReader.implicitOctets(r.next(BERTags.APPLICATION, 26, "b"), "b"))
        .isInstanceOf(DerException.class)
        .hasMessageContaining("expected a primitive element");
  }

  @Test
  void anImplicitSequenceMustBeConstructed() throws Exception {
    // [PRIVATE 1] constructed around one SEQUENCE, around two elements, and primitive
    assertThat(
            DerReader.taggedSequence(
                    DerReader.parse(hex("e1 03 02 01 01"), "t"), BERTags.PRIVATE, 1, "t")
                .next(org.bouncycastle.asn1.ASN1Integer.class, "v")
                .intValueExact())
        .isEqualTo(1);
    DerReader two =
        DerReader.taggedSequence(
            DerReader.parse(hex("e1 06 02 01 01 02 01 02"), "t"), BERTags.PRIVATE, 1, "t");
    two.next("a");
    two.next("b");
    two.end();
    DerReader nested =
        DerReader.taggedSequence(
            DerReader.parse(hex("e1 05 30 03 02 01 07"), "t"), BERTags.PRIVATE, 1, "t");
    assertThat(nested.next(ASN1Sequence.class, "s").size()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                DerReader.taggedSequence(
                    DerReader.parse(hex("c1 03 02 01 01"), "t"), BERTags.PRIVATE, 1, "t"))
        .isInstanceOf(DerException.class)
        .hasMessageContaining("expected a constructed element");
  }
}
