package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pir.InstallationOutcome;
import org.ifpp.crypto.pir.PirParseResult;
import org.ifpp.crypto.pir.PirStructure;
import org.ifpp.crypto.pir.ProfileInstallationResult;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.tlv.TlvWriter;
import org.ifpp.euicc.card.TestLpa.Response;
import org.ifpp.euicc.card.asn1.rspdefinitions.BoundProfilePackage;
import org.ifpp.euicc.card.asn1.rspdefinitions.InitialiseSecureChannelRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ES10b.LoadBoundProfilePackage over APDUs: SGP.22 2.5.5's segments in STORE DATA commands, the
 * same checks and outcomes as every other load (LoadService), and garbage at every step.
 */
class CardLoadTest {

  @TempDir Path dir;
  CardFixture f;
  Eid eid;

  @BeforeEach
  void setUp() {
    f = new CardFixture(dir);
    eid = f.sim.newChip();
  }

  static ProfileInstallationResult pir(byte[] bytes) {
    return ((PirParseResult.Parsed) PirStructure.check(bytes)).result().result();
  }

  private static String reason(byte[] bytes) {
    return ((InstallationOutcome.ErrorResult) pir(bytes).outcome()).errorReason().name();
  }

  @Test
  void segmentedLoad_installs_intermediateSegmentsAnswerNothing_lastAnswersTheSignedResult() {
    TestLpa lpa = f.lpa(eid);
    byte[] bpp = f.sim.bind(eid, 0);
    List<byte[]> segments = CardFixture.segments(bpp);
    sendCertificate(lpa);
    for (int i = 0; i < segments.size() - 1; i++) {
      Response r = lpa.es10(segments.get(i));
      assertThat(r.sw()).isEqualTo(0x9000);
      assertThat(r.data()).isEmpty();
    }
    Response last = lpa.es10(segments.get(segments.size() - 1));
    assertThat(last.sw()).isEqualTo(0x9000);
    Sgp22Der.profileInstallationResult(last.data());
    ProfileInstallationResult result = pir(last.data());
    assertThat(result.isSuccess()).isTrue();
    assertThat(result.smdpOid()).contains(DevelopmentPki.DEVELOPMENT_SMDP_OID);
    assertThat(f.sim.remaining(eid)).isEqualTo(3);
    assertThat(f.sim.status(eid).profiles()).hasSize(1);
  }

  @Test
  void theEnginesPackages_bothModes_decodeWithTheSgp22Asn1_andInstallUnderTheirTransactionId() {
    Eid ppkChip = f.sim.newChip();
    loadDecoded(eid, f.sim.bind(eid, 0), false);
    loadDecoded(ppkChip, f.sim.bindPpk(ppkChip, 0), true);
  }

  private void loadDecoded(Eid chip, byte[] bpp, boolean ppkMode) {
    BoundProfilePackage p = Sgp22Der.decode(bpp, BoundProfilePackage::new);
    InitialiseSecureChannelRequest isc = p.getInitialiseSecureChannelRequest();
    assertThat(isc.getRemoteOpId().intValue()).isEqualTo(1); // installBoundProfilePackage
    assertThat(isc.getControlRefTemplate().getKeyType().value).containsExactly((byte) 0x88);
    assertThat(isc.getControlRefTemplate().getKeyLen().value).containsExactly((byte) 0x10);
    assertThat(isc.getSmdpOtpk().value).hasSize(65).startsWith((byte) 0x04); // P-256, uncompressed
    assertThat(p.getFirstSequenceOf87().getBerOctetString()).hasSize(1); // ConfigureISDP
    assertThat(p.getSequenceOf88().getBerOctetString()).isNotEmpty(); // StoreMetadata
    if (ppkMode) { // ReplaceSessionKeys: the PPKs
      assertThat(p.getSecondSequenceOf87().getBerOctetString()).hasSize(1);
    } else {
      assertThat(p.getSecondSequenceOf87()).isNull();
    }
    assertThat(p.getSequenceOf86().getBerOctetString()).isNotEmpty(); // the profile's segments

    TestLpa lpa = f.lpa(chip);
    sendCertificate(lpa);
    byte[] answer = null;
    for (byte[] segment : CardFixture.segments(bpp)) {
      answer = lpa.es10(segment).data();
    }
    var result = Sgp22Der.profileInstallationResult(answer).getProfileInstallationResultData();
    assertThat(result.getTransactionId().value).isEqualTo(isc.getTransactionId().value);
    assertThat(result.getFinalResult().getSuccessResult()).isNotNull();
  }

  @Test
  void everyBlockSize_loadsTheSamePackage_withSegmentsSplitAcrossBlocks() {
    // A command has at most 256 blocks (P2 is one byte): a 1 KB profile segment needs 5 bytes.
    for (int size : new int[] {5, 7, 120, 255}) {
      Eid chip = f.sim.newChip();
      TestLpa lpa = f.lpa(chip);
      sendCertificate(lpa);
      lpa.blockSize = size;
      Response r = lpa.load(null, CardFixture.segments(f.sim.bindPpk(chip, 1)));
      assertThat(pir(r.data()).isSuccess()).as("block size " + size).isTrue();
    }
  }

  @Test
  void replay_clone_tamper_andNoCertificate_areRefusedInSignedResults() {
    byte[] bpp = f.sim.bind(eid, 0);
    TestLpa lpa = f.lpa(eid);
    assertThat(pir(lpa.load(f.certificate(), CardFixture.segments(bpp)).data()).isSuccess())
        .isTrue();
    // replay to the same chip
    Response replay = lpa.load(null, CardFixture.segments(bpp));
    assertThat(reason(replay.data())).contains("INVALID_SIGNATURE");
    // the same package into another chip
    Eid other = f.sim.newChip();
    Response clone = f.lpa(other).load(f.certificate(), CardFixture.segments(bpp));
    assertThat(reason(clone.data())).contains("INVALID_SIGNATURE");
    assertThat(f.sim.remaining(other)).isEqualTo(4);
    // a flipped byte in the last profile segment
    byte[] tampered = f.sim.bind(eid, 1);
    tampered[tampered.length - 3] ^= 1;
    Response t = lpa.load(null, CardFixture.segments(tampered));
    assertThat(reason(t.data())).contains("SCP03T_SECURITY_ERROR");
    assertThat(f.sim.remaining(eid)).isEqualTo(2); // consumed at step 6 all the same
    // no binding certificate on a fresh card: invalidCertificate, nothing consumed
    Response noCert = f.lpa(eid).load(null, CardFixture.segments(f.sim.bind(eid, 0)));
    assertThat(reason(noCert.data())).contains("INVALID_CERTIFICATE");
    assertThat(f.sim.remaining(eid)).isEqualTo(2);
  }

  @Test
  void afterFinalisation_aLoadIsAnsweredIfppDisabled() {
    byte[] bpp = f.sim.bind(eid, 0);
    f.sim.finalise(eid);
    Response r = f.lpa(eid).load(f.certificate(), CardFixture.segments(bpp));
    assertThat(reason(r.data())).contains("IFPP_DISABLED");
  }

  @Test
  void garbageBetweenAnyTwoSegments_isRefused_andTheLoadStillCompletes() {
    byte[] bpp = f.sim.bind(eid, 0);
    List<byte[]> segments = CardFixture.segments(bpp);
    TestLpa lpa = f.lpa(eid);
    lpa.blockSize = 100;
    sendCertificate(lpa);
    String c = String.format("%02X", lpa.cla(0x80));
    Response last = null;
    for (byte[] segment : segments) {
      // APDU-level garbage, then an ES10 command of garbage: each refused, the load goes on
      assertThat(lpa.raw(c + "E2910505FFFFFFFFFF").sw()).isEqualTo(0x6B00);
      assertThat(lpa.raw(c + "E2770003BF3E00").sw()).isEqualTo(0x6A86);
      assertThat(lpa.es10("BF7000").sw()).isEqualTo(0x6A88);
      assertThat(lpa.es10("BF3E8101").sw()).isEqualTo(0x6A80);
      // a segment's first block, abandoned, then the whole segment again
      if (segment.length > 100) {
        assertThat(
                lpa.raw(
                        TestLpa.apdu(
                            lpa.cla(0x80),
                            0xE2,
                            0x11,
                            0,
                            java.util.Arrays.copyOf(segment, 100),
                            false))
                    .sw())
            .isEqualTo(0x9000);
        assertThat(lpa.raw(c + "E2910505FFFFFFFFFF").sw()).isEqualTo(0x6B00);
      }
      last = lpa.es10(segment);
      assertThat(last.sw()).isEqualTo(0x9000);
    }
    assertThat(pir(last.data()).isSuccess()).isTrue();
  }

  @Test
  void aBrokenFirstSegment_is6A80_andChangesNothingOnTheChip() {
    byte[] bpp = f.sim.bind(eid, 0);
    List<byte[]> segments = CardFixture.segments(bpp);
    TestLpa lpa = f.lpa(eid);
    sendCertificate(lpa);
    byte[] first = segments.get(0);
    assertThat(lpa.es10(java.util.Arrays.copyOf(first, first.length - 1)).sw()).isEqualTo(0x6A80);
    assertThat(lpa.es10(segments.get(1)).sw()).isEqualTo(0x6985);
    assertThat(f.sim.remaining(eid)).isEqualTo(4);
    assertThat(pir(lpa.load(null, segments).data()).isSuccess()).isTrue();
  }

  @Test
  void aSegmentMissingAfterTheFirst_isAnsweredWhereItBreaks_keyConsumed_nothingInstalled() {
    int count = CardFixture.segments(f.sim.bind(eid, 0)).size();
    for (int skip = 1; skip < count; skip++) {
      Eid chip = f.sim.newChip();
      List<byte[]> broken = new ArrayList<>(CardFixture.segments(f.sim.bind(chip, 0)));
      broken.remove(skip);
      TestLpa lpa = f.lpa(chip);
      sendCertificate(lpa);
      Response r = null;
      int at = 0;
      for (; at < broken.size(); at++) {
        r = lpa.es10(broken.get(at));
        if (r.sw() != 0x9000 || r.data().length > 0) {
          break;
        }
      }
      if (skip == count - 1) { // the last 86 missing: still waiting for it
        assertThat(r.data()).as("without the last segment").isEmpty();
      } else {
        assertThat(r.sw()).as("without segment " + skip).isEqualTo(0x9000);
        // answered at the segment that came in the missing one's place
        assertThat(at).as("without segment " + skip).isEqualTo(skip);
        assertThat(reason(r.data()))
            .as("without segment " + skip)
            .isIn("SCP03T_STRUCTURE_ERROR", "SCP03T_SECURITY_ERROR");
        if (at + 1 < broken.size()) {
          assertThat(lpa.es10(broken.get(at + 1)).sw()).isEqualTo(0x6985);
        }
      }
      assertThat(f.sim.remaining(chip)).as("without segment " + skip).isEqualTo(3);
      assertThat(f.sim.status(chip).profiles()).isEmpty();
    }
  }

  @Test
  void aTampered86InTheMiddle_isRefusedAtThatSegment_withTheSignedResult() {
    for (boolean ppk : new boolean[] {false, true}) {
      Eid chip = f.sim.newChip();
      byte[] bpp = ppk ? f.sim.bindPpk(chip, 0) : f.sim.bind(chip, 0);
      List<byte[]> segments = CardFixture.segments(bpp);
      int middle = segments.size() - 5;
      byte[] target = segments.get(middle);
      assertThat(target[0]).isEqualTo((byte) 0x86);
      assertThat(segments.get(segments.size() - 1)[0]).isEqualTo((byte) 0x86);
      target[target.length - 12] ^= 1; // the ciphertext, before the MAC
      TestLpa lpa = f.lpa(chip);
      sendCertificate(lpa);
      for (int i = 0; i < middle; i++) {
        Response r = lpa.es10(segments.get(i));
        assertThat(r.sw()).isEqualTo(0x9000);
        assertThat(r.data()).isEmpty();
      }
      Response refused = lpa.es10(target);
      assertThat(refused.sw()).isEqualTo(0x9000);
      var data =
          Sgp22Der.profileInstallationResult(refused.data()).getProfileInstallationResultData();
      var error = data.getFinalResult().getErrorResult();
      assertThat(error.getBppCommandId().intValue()).isEqualTo(5); // loadProfileElements
      assertThat(error.getErrorReason().intValue()).isEqualTo(8); // scp03tSecurityError
      assertThat(pir(refused.data()).smdpOid()).contains(DevelopmentPki.DEVELOPMENT_SMDP_OID);
      for (byte[] rest : segments.subList(middle + 1, segments.size())) {
        assertThat(lpa.es10(rest).sw()).isEqualTo(0x6985);
      }
      assertThat(f.sim.status(chip).profiles()).isEmpty();
      assertThat(f.sim.remaining(chip)).isEqualTo(3); // consumed at step 6, as for any package
      assertThat(notifications(chip)).isEqualTo(1);
    }
  }

  @Test
  void aPackageAbandonedAfterItsFirstSegment_keepsItsKeyConsumed_andTheCardGoesOn() {
    byte[] bpp = f.sim.bind(eid, 0);
    List<byte[]> segments = CardFixture.segments(bpp);
    TestLpa lpa = f.lpa(eid);
    sendCertificate(lpa);
    assertThat(lpa.es10(segments.get(0)).sw()).isEqualTo(0x9000);
    assertThat(lpa.es10(segments.get(1)).sw()).isEqualTo(0x9000);
    // a new package begins: the first is abandoned, its key gone (SGP.22: otSK deleted at BF23)
    Response again = lpa.load(null, segments);
    assertThat(reason(again.data())).contains("INVALID_SIGNATURE");
    assertThat(f.sim.remaining(eid)).isEqualTo(3);
    Response next = lpa.load(null, CardFixture.segments(f.sim.bind(eid, 0)));
    assertThat(pir(next.data()).isSuccess()).isTrue();
    assertThat(f.sim.remaining(eid)).isEqualTo(2);
  }

  private static byte[] keyCommand(org.ifpp.crypto.ec.EcPublicKey key) {
    return TlvWriter.encode(0xF5, org.ifpp.crypto.bpp.BppEuiccOtpk.of(key).encode());
  }

  @Test
  void namedOneTimeKey_isUsedDirectly_andOnlyThatKeyIsConsumed() {
    var key = f.sim.unusedKey(eid, 2);
    byte[] bpp = f.sim.bind(eid, 2);
    TestLpa lpa = f.lpa(eid);
    sendCertificate(lpa);
    assertThat(lpa.es10(keyCommand(key)).sw()).isEqualTo(0x9000);
    Response r = lpa.load(null, CardFixture.segments(bpp));
    assertThat(pir(r.data()).isSuccess()).isTrue();
    assertThat(f.sim.keyStates(eid))
        .containsExactly(
            org.ifpp.euicc.chip.OneTimeKeySlot.State.UNUSED,
            org.ifpp.euicc.chip.OneTimeKeySlot.State.UNUSED,
            org.ifpp.euicc.chip.OneTimeKeySlot.State.CONSUMED,
            org.ifpp.euicc.chip.OneTimeKeySlot.State.UNUSED);
    // the key id served that package only: the next one goes without it and its key is found by
    // trying each unused one, as before (then refused: the same profile is already installed)
    Response next = lpa.load(null, CardFixture.segments(f.sim.bind(eid, 1)));
    assertThat(reason(next.data())).contains("ICCID_ALREADY_EXISTS");
    assertThat(f.sim.keyStates(eid).get(1))
        .isEqualTo(org.ifpp.euicc.chip.OneTimeKeySlot.State.CONSUMED);
  }

  @Test
  void keyTheChipNoLongerHas_isTold_beforeLoading_6985_andNothingChanges() {
    var key = f.sim.unusedKey(eid, 0);
    byte[] bpp = f.sim.bind(eid, 0);
    TestLpa lpa = f.lpa(eid);
    assertThat(pir(lpa.load(f.certificate(), CardFixture.segments(bpp)).data()).isSuccess())
        .isTrue();
    int notifications = notifications(eid);
    assertThat(lpa.es10(keyCommand(key)).sw()).isEqualTo(0x6985);
    // a key that was never this chip's
    Eid other = f.sim.newChip();
    assertThat(lpa.es10(keyCommand(f.sim.unusedKey(other, 0))).sw()).isEqualTo(0x6A88);
    // malformed: not one 5F49 of a 65-byte point
    assertThat(lpa.es10("F5035F4901 04".replace(" ", "")).sw()).isEqualTo(0x6A80);
    assertThat(lpa.es10("F500").sw()).isEqualTo(0x6A80);
    assertThat(f.sim.remaining(eid)).isEqualTo(3);
    assertThat(f.sim.remaining(other)).isEqualTo(4);
    assertThat(notifications(eid)).isEqualTo(notifications);
  }

  @Test
  void wrongKeyNamed_isRefusedAtTheFirstSegment_withItsSignedResult_nothingConsumed() {
    byte[] bpp = f.sim.bind(eid, 1);
    TestLpa lpa = f.lpa(eid);
    sendCertificate(lpa);
    assertThat(lpa.es10(keyCommand(f.sim.unusedKey(eid, 0))).sw()).isEqualTo(0x9000);
    List<byte[]> segments = CardFixture.segments(bpp);
    Response first = lpa.es10(segments.get(0));
    assertThat(first.sw()).isEqualTo(0x9000);
    Sgp22Der.profileInstallationResult(first.data());
    assertThat(reason(first.data())).contains("INVALID_SIGNATURE");
    for (byte[] rest : segments.subList(1, segments.size())) {
      assertThat(lpa.es10(rest).sw()).isEqualTo(0x6985);
    }
    assertThat(f.sim.remaining(eid)).isEqualTo(4);
    assertThat(f.sim.status(eid).profiles()).isEmpty();
  }

  @Test
  void checkFailures_areAnsweredAtTheFirstSegment_andTheRestIs6985() {
    // a package for another chip (bad signature here), a replay, no certificate, after finalising
    Eid other = f.sim.newChip();
    byte[] forOther = f.sim.bind(other, 0);
    TestLpa lpa = f.lpa(eid);
    sendCertificate(lpa);
    assertFirstSegmentRefused(lpa, forOther, "INVALID_SIGNATURE");
    byte[] bpp = f.sim.bind(eid, 0);
    assertThat(pir(lpa.load(null, CardFixture.segments(bpp)).data()).isSuccess()).isTrue();
    assertFirstSegmentRefused(lpa, bpp, "INVALID_SIGNATURE");
    assertThat(f.sim.remaining(eid)).isEqualTo(3);
    assertFirstSegmentRefused(f.lpa(eid), f.sim.bind(eid, 0), "INVALID_CERTIFICATE");
    byte[] late = f.sim.bind(eid, 0);
    f.sim.finalise(eid);
    assertFirstSegmentRefused(f.lpa(eid), late, "IFPP_DISABLED");
    assertThat(f.sim.remaining(other)).isEqualTo(4);
    // each refusal is kept as the chip's pending notification, as a whole-package load keeps it
    assertThat(notifications(eid)).isGreaterThanOrEqualTo(4);
  }

  /** The binding certificate (tag F4) sent first, as a station does: accepted. */
  private void sendCertificate(TestLpa lpa) {
    assertThat(lpa.es10(TlvWriter.encode(0xF4, f.certificate())).sw()).isEqualTo(0x9000);
  }

  private int notifications(Eid chip) {
    var c = f.sim.chips.get(chip);
    return c.locked(() -> c.notifications().size());
  }

  private void assertFirstSegmentRefused(TestLpa lpa, byte[] bpp, String reason) {
    List<byte[]> segments = CardFixture.segments(bpp);
    Response first = lpa.es10(segments.get(0));
    assertThat(first.sw()).isEqualTo(0x9000);
    assertThat(reason(first.data())).contains(reason);
    assertThat(lpa.es10(segments.get(1)).sw()).isEqualTo(0x6985);
    assertThat(lpa.es10(segments.get(segments.size() - 1)).sw()).isEqualTo(0x6985);
  }
}
