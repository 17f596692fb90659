package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.bind;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.euicc;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.open;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.Vectors;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Any change to a bound package is refused; nothing is ever installed from a tampered one. */
class BoundProfilePackageTamperTest {

  @ParameterizedTest(name = "ppk={0}")
  @ValueSource(booleans = {false, true})
  void flippingAnySingleByteOfASmallPackage_isRejected(boolean ppk) throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Profiles.tiny("8900000000000000001"), ppk);
    assertThat(open(bpp, e)).isInstanceOf(OpeningResult.Installed.class);
    for (int pos = 0; pos < bpp.length; pos++) {
      for (int mask : new int[] {0x01, 0x80}) {
        e.reset();
        byte[] t = bpp.clone();
        t[pos] ^= (byte) mask;
        assertThat(open(t, e))
            .as("flip at %d mask %x", pos, mask)
            .isInstanceOf(OpeningResult.Rejected.class);
      }
    }
  }

  @Test
  void flippingSampledBytesOfA12KbPackage_isRejected() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, Vectors.read(Vectors.TS48_PROFILES[2]), false);
    assertThat(bpp.length).isGreaterThan(12_000);
    for (int pos = 0; pos < bpp.length; pos += pos < 400 ? 1 : 37) {
      e.reset();
      byte[] t = bpp.clone();
      t[pos] ^= 0x04;
      assertThat(open(t, e)).as("flip at %d", pos).isInstanceOf(OpeningResult.Rejected.class);
    }
    e.reset();
    byte[] last = bpp.clone();
    last[last.length - 1] ^= 0x01;
    assertThat(open(last, e)).isInstanceOf(OpeningResult.Rejected.class);
  }

  @Test
  void reorderedProfileSegments_areSecurityErrors() throws Exception {
    assertSegmentsEdit(list -> swap(list, 3, 4), ErrorReason.SCP03T_SECURITY_ERROR);
  }

  @Test
  void droppedMiddleSegment_isSecurityError() throws Exception {
    assertSegmentsEdit(list -> remove(list, 5), ErrorReason.SCP03T_SECURITY_ERROR);
  }

  @Test
  void droppedLastSegment_isRefusedAsIncompleteProfile() throws Exception {
    assertSegmentsEdit(
        list -> remove(list, list.size() - 1),
        ErrorReason.INSTALL_FAILED_DUE_TO_PE_PROCESSING_ERROR);
  }

  @Test
  void duplicatedSegment_isSecurityError() throws Exception {
    assertSegmentsEdit(
        list -> {
          List<byte[]> l = new ArrayList<>(list);
          l.add(2, l.get(2));
          return l;
        },
        ErrorReason.SCP03T_SECURITY_ERROR);
  }

  @Test
  void segmentsOfAnotherBindingOfTheSameProfile_areSecurityErrors() throws Exception {
    TestEuicc e = euicc();
    byte[] profile = Vectors.read(Vectors.TS48_PROFILES[0]);
    byte[] a = bind(e, profile, true);
    byte[] b = bind(e, profile, true);
    List<Tlv> pa = TlvReader.readSingle(a, TlvLimits.DEFAULT).children();
    List<Tlv> pb = TlvReader.readSingle(b, TlvLimits.DEFAULT).children();
    // A's signed header with B's (validly MACed, but under other session keys) A2.
    byte[] mixed =
        TlvWriter.encodeConstructed(
            0xBF36,
            pa.get(0).encoded(),
            pa.get(1).encoded(),
            pa.get(2).encoded(),
            pb.get(3).encoded(),
            pa.get(4).encoded());
    OpeningResult r = open(mixed, e);
    assertThat(r).isInstanceOf(OpeningResult.Rejected.class);
    assertThat(((OpeningResult.Rejected) r).reason()).isEqualTo(ErrorReason.SCP03T_SECURITY_ERROR);
    assertThat(((OpeningResult.Rejected) r).bppCommandId())
        .isEqualTo(BppCommandId.REPLACE_SESSION_KEYS);
  }

  private static void assertSegmentsEdit(UnaryOperator<List<byte[]>> edit, ErrorReason reason)
      throws Exception {
    for (boolean ppk : new boolean[] {false, true}) {
      TestEuicc e = euicc();
      byte[] bpp = bind(e, Vectors.read(Vectors.TS48_PROFILES[1]), ppk);
      List<Tlv> parts = TlvReader.readSingle(bpp, TlvLimits.DEFAULT).children();
      Tlv a3 = parts.get(parts.size() - 1);
      List<byte[]> segs = new ArrayList<>();
      for (Tlv s : a3.children()) {
        segs.add(s.encoded());
      }
      byte[][] out = new byte[parts.size()][];
      for (int i = 0; i < parts.size() - 1; i++) {
        out[i] = parts.get(i).encoded();
      }
      out[parts.size() - 1] =
          TlvWriter.encode(0xA3, TlvWriter.concat(edit.apply(segs).toArray(new byte[0][])));
      OpeningResult r = open(TlvWriter.encodeConstructed(0xBF36, out), e);
      assertThat(r).as("ppk=%s", ppk).isInstanceOf(OpeningResult.Rejected.class);
      OpeningResult.Rejected rej = (OpeningResult.Rejected) r;
      assertThat(rej.reason()).as("ppk=%s", ppk).isEqualTo(reason);
      assertThat(rej.bppCommandId()).isEqualTo(BppCommandId.LOAD_PROFILE_ELEMENTS);
      assertThat(rej.consumedOneTimeKey()).contains(e.oneTimeKey(0));
    }
  }

  private static List<byte[]> swap(List<byte[]> l, int i, int j) {
    List<byte[]> c = new ArrayList<>(l);
    byte[] t = c.get(i);
    c.set(i, c.get(j));
    c.set(j, t);
    return c;
  }

  private static List<byte[]> remove(List<byte[]> l, int i) {
    List<byte[]> c = new ArrayList<>(l);
    c.remove(i);
    return c;
  }
}
