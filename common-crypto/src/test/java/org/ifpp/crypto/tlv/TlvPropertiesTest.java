package org.ifpp.crypto.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class TlvPropertiesTest {

  @Property(tries = 2000)
  void randomBytes_neverThrowAnythingButTlvException(@ForAll @Size(max = 300) byte[] input) {
    try {
      List<Tlv> all = TlvReader.readTree(input, new TlvLimits(1 << 16, 8, 1 << 15));
      for (Tlv t : all) {
        assertThat(t.encodedLength()).isLessThanOrEqualTo(input.length);
      }
    } catch (TlvException expected) {
      assertThat(expected.code()).isNotNull();
    }
    try {
      TlvReader.readSingle(input, TlvLimits.DEFAULT);
    } catch (TlvException expected) {
      assertThat(expected.code()).isNotNull();
    }
  }

  @Property(tries = 300)
  void writtenObjects_readBackIdentically(@ForAll("tlvs") List<Tlv> objects) {
    List<byte[]> enc = new ArrayList<>();
    for (Tlv t : objects) {
      enc.add(t.encoded());
    }
    byte[] bytes = TlvWriter.concat(enc.toArray(new byte[0][]));
    List<Tlv> back = TlvReader.readAll(bytes, TlvLimits.DEFAULT);
    assertThat(back).hasSameSizeAs(objects);
    for (int i = 0; i < back.size(); i++) {
      assertThat(back.get(i).tag()).isEqualTo(objects.get(i).tag());
      assertThat(back.get(i).value()).isEqualTo(objects.get(i).value());
      assertThat(back.get(i).encoded()).isEqualTo(objects.get(i).encoded());
    }
  }

  @Property(tries = 150)
  void constructedObjects_roundTripTheirChildren(@ForAll("tlvs") List<Tlv> children) {
    Tlv parent = Tlv.constructed(0xBF36, children);
    Tlv back = TlvReader.readSingle(parent.encoded(), TlvLimits.DEFAULT);
    assertThat(back.children()).containsExactlyElementsOf(children);
  }

  @Provide
  Arbitrary<List<Tlv>> tlvs() {
    Arbitrary<Integer> tags =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0x01, 0x1E).map(t -> t | 0x80),
            Arbitraries.integers().between(0x1F, 0x7F).map(t -> 0x9F00 | t),
            Arbitraries.of(0x5F49, 0x5F37, 0x5A, 0x86, 0x88));
    Arbitrary<byte[]> values =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.bytes().array(byte[].class).ofMinSize(128).ofMaxSize(70_000)));
    return Combinators.combine(tags, values).as(Tlv::of).list().ofMaxSize(5);
  }
}
