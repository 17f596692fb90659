package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.CURVE;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.bind;
import static org.ifpp.crypto.bpp.BoundProfilePackageOpenerTest.euicc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.pir.BppCommandId;
import org.ifpp.crypto.pir.ErrorReason;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.junit.jupiter.api.Test;

/**
 * The segment-by-segment opener: the same outcomes as the whole-package one, each failure answered
 * at the element that fails, the one-time key consumed at the first segment once steps 1 to 5 pass.
 */
class OpeningStreamTest {

  /** A 12 KB TS.48 profile: thirteen 86 segments. */
  static byte[] ts48() throws Exception {
    return Files.readAllBytes(
        Path.of(System.getProperty("ifpp.test-data.dir"), "profiles/TS48V1-A-UNIQUE.der"));
  }

  /** One ES10b step: which element, and the TLV (null for the A1 and A3 headers). */
  record Element(int tag, Tlv tlv) {}

  /** The package cut as SGP.22 2.5.5 cuts it, minus the headers that carry nothing to check. */
  static List<Element> elements(byte[] bpp) {
    List<Tlv> parts = TlvReader.readSingle(bpp, TlvLimits.DEFAULT).children();
    List<Element> out = new ArrayList<>();
    out.add(new Element(0xBF23, parts.get(0)));
    out.add(new Element(0xA0, parts.get(1)));
    for (Tlv e : parts.get(2).children()) {
      out.add(new Element(0x88, e));
    }
    out.add(new Element(0xA1, null)); // A1 complete
    if (parts.size() == 5) {
      out.add(new Element(0xA2, parts.get(3)));
    }
    for (Tlv e : parts.get(parts.size() - 1).children()) {
      out.add(new Element(0x86, e));
    }
    return out;
  }

  /** Feeds the elements after BF23; the first refusal, with the index it came at. */
  static Optional<Refusal> feed(OpeningStream s, List<Element> elements) {
    for (int i = 1; i < elements.size(); i++) {
      Element e = elements.get(i);
      Optional<OpeningResult.Rejected> r =
          switch (e.tag()) {
            case 0xA0 -> s.configureIsdp(e.tlv());
            case 0x88 -> s.storeMetadata(e.tlv());
            case 0xA1 -> s.endStoreMetadata();
            case 0xA2 -> s.replaceSessionKeys(e.tlv());
            default -> s.profileElement(e.tlv());
          };
      if (r.isPresent()) {
        return Optional.of(new Refusal(i, r.get()));
      }
    }
    return Optional.empty();
  }

  /** Where {@code seg}'s encoding ends in {@code bpp}. */
  static int end(byte[] bpp, Tlv seg) {
    byte[] enc = seg.encoded();
    outer:
    for (int i = 0; i + enc.length <= bpp.length; i++) {
      for (int j = 0; j < enc.length; j++) {
        if (bpp[i + j] != enc[j]) {
          continue outer;
        }
      }
      return i + enc.length;
    }
    throw new AssertionError("segment not in the package");
  }

  record Refusal(int at, OpeningResult.Rejected rejected) {}

  static OpeningStream begin(byte[] bpp, TestEuicc e) {
    return OpeningStream.begin(
        elements(bpp).get(0).tlv().encoded(), TestIdentities.dpBinding(CURVE), null, e);
  }

  @Test
  void bothModes_installSegmentBySegment_theSameProfileAsTheWholePackageOpener() throws Exception {
    for (boolean ppk : new boolean[] {false, true}) {
      TestEuicc e = euicc();
      byte[] bpp = bind(e, ts48(), ppk);
      List<Element> elements = elements(bpp);
      assertThat(elements.stream().filter(x -> x.tag() == 0x86).count()).isGreaterThan(10);
      try (OpeningStream s = begin(bpp, e)) {
        assertThat(s.result()).isEmpty();
        assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue(); // step 6 at the first segment
        assertThat(feed(s, elements)).isEmpty();
        OpeningResult r = s.finish(e);
        assertThat(r).isInstanceOf(OpeningResult.Installed.class);
        try (OpeningResult.Installed installed = (OpeningResult.Installed) r) {
          assertThat(installed.ppkMode()).isEqualTo(ppk);
          assertThat(installed.usedOneTimeKey()).isEqualTo(e.oneTimeKey(0));
          assertThat(installed.profile().unsafeView(org.ifpp.crypto.secret.SecretAccess.GRANTED))
              .isEqualTo(ts48());
        }
      }
      e.reset();
      try (OpeningResult.Installed whole =
          (OpeningResult.Installed) BoundProfilePackageOpenerTest.open(bpp, e)) {
        assertThat(whole.ppkMode()).isEqualTo(ppk);
      }
    }
  }

  @Test
  void aTampered86InTheMiddle_isRefusedAtThatSegment_keyConsumed_nothingHandedOver()
      throws Exception {
    for (boolean ppk : new boolean[] {false, true}) {
      TestEuicc e = euicc();
      byte[] bpp = bind(e, ts48(), ppk);
      List<Element> elements = elements(bpp);
      int middle = elements.size() - 6;
      assertThat(elements.get(middle).tag()).isEqualTo(0x86);
      Tlv seg = elements.get(middle).tlv();
      bpp[end(bpp, seg) - 12] ^= 1; // in the ciphertext, before the MAC
      List<Element> tampered = elements(bpp);
      try (OpeningStream s = begin(bpp, e)) {
        Optional<Refusal> r = feed(s, tampered);
        assertThat(r).isPresent();
        assertThat(r.get().at()).isEqualTo(middle);
        assertThat(r.get().rejected().reason()).isEqualTo(ErrorReason.SCP03T_SECURITY_ERROR);
        assertThat(r.get().rejected().bppCommandId()).isEqualTo(BppCommandId.LOAD_PROFILE_ELEMENTS);
        assertThat(r.get().rejected().consumedOneTimeKey()).contains(e.oneTimeKey(0));
        assertThat(s.result()).contains(r.get().rejected());
        assertThat(s.finish(e)).isEqualTo(r.get().rejected()); // nothing installed after it
        assertThatThrownBy(() -> s.profileElement(tampered.get(middle + 1).tlv()))
            .isInstanceOf(IllegalStateException.class);
      }
      assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue();
      // the whole-package opener answers the same, at the same command
      e.reset();
      BoundProfilePackageOpenerTest.assertRejected(
          BoundProfilePackageOpenerTest.open(bpp, e),
          ErrorReason.SCP03T_SECURITY_ERROR,
          BppCommandId.LOAD_PROFILE_ELEMENTS);
      assertThat(e.isConsumed(e.oneTimeKey(0))).isTrue();
    }
  }

  @Test
  void aTampered88_isRefusedAtTheMetadata_beforeAnyProfileSegment() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, ts48(), true);
    List<Element> elements = elements(bpp);
    int at = 2;
    assertThat(elements.get(at).tag()).isEqualTo(0x88);
    Tlv seg = elements.get(at).tlv();
    bpp[end(bpp, seg) - 1] ^= 1; // the MAC
    try (OpeningStream s = begin(bpp, e)) {
      Optional<Refusal> r = feed(s, elements(bpp));
      assertThat(r.map(Refusal::at)).contains(at);
      assertThat(r.get().rejected().reason()).isEqualTo(ErrorReason.SCP03T_SECURITY_ERROR);
      assertThat(r.get().rejected().bppCommandId()).isEqualTo(BppCommandId.STORE_METADATA);
    }
  }

  @Test
  void elementsOutOfOrder_orMalformed_areStructureErrors_withTheKeyConsumed() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, ts48(), false);
    List<Element> elements = elements(bpp);
    try (OpeningStream s = begin(bpp, e)) {
      Optional<OpeningResult.Rejected> r = s.profileElement(elements.get(5).tlv());
      assertThat(r.map(OpeningResult.Rejected::reason))
          .contains(ErrorReason.SCP03T_STRUCTURE_ERROR);
      assertThat(r.get().consumedOneTimeKey()).contains(e.oneTimeKey(0));
    }
    e.reset();
    try (OpeningStream s = begin(bpp, e)) {
      Tlv garbage =
          TlvReader.readSingle(new byte[] {(byte) 0xA0, 2, 0x01, 0x00}, TlvLimits.DEFAULT);
      assertThat(s.configureIsdp(garbage).map(OpeningResult.Rejected::bppCommandId))
          .contains(BppCommandId.CONFIGURE_ISDP);
    }
    e.reset();
    try (OpeningStream s = begin(bpp, e)) {
      assertThat(s.configureIsdp(elements.get(1).tlv())).isEmpty();
      OpeningResult.Rejected r = s.malformed(BppCommandId.STORE_METADATA);
      assertThat(r.reason()).isEqualTo(ErrorReason.SCP03T_STRUCTURE_ERROR);
      assertThat(s.finish(e)).isEqualTo(r);
    }
  }

  @Test
  void aRefusalAtStepsOneToFive_isTheResultAtOnce_andConsumesNothing() throws Exception {
    TestEuicc e = euicc();
    byte[] bpp = bind(e, ts48(), false);
    e.finaliseProduction();
    try (OpeningStream s = begin(bpp, e)) {
      assertThat(s.result().map(r -> ((OpeningResult.Rejected) r).reason()))
          .contains(ErrorReason.IFPP_DISABLED);
    }
    assertThat(e.isConsumed(e.oneTimeKey(0))).isFalse();
  }
}
