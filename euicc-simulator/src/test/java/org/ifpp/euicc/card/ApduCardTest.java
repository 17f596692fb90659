package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.euicc.card.TestLpa.hex;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.card.TestLpa.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ISO/IEC 7816-4 and GlobalPlatform layer: framing, channels, chaining, GET RESPONSE. */
class ApduCardTest {

  private static final String GET_EID = "BF3E035C015A";

  @TempDir Path dir;
  CardFixture f;
  Eid eid;
  ApduCard card;
  TestLpa lpa;

  @BeforeEach
  void setUp() {
    f = new CardFixture(dir);
    eid = f.sim.newChip();
    card = f.card(eid);
    lpa = new TestLpa(card);
  }

  private String eidAnswer() {
    return "BF3E125A10" + HexFormat.of().withUpperCase().formatHex(eid.toBytes());
  }

  @Test
  void atr_isT1WithAValidCheckByte() {
    byte[] atr = card.atr();
    assertThat(atr[0]).isEqualTo((byte) 0x3B);
    byte x = 0;
    for (int i = 1; i < atr.length; i++) {
      x ^= atr[i];
    }
    assertThat(x).isZero();
    assertThat(HexFormat.of().withUpperCase().formatHex(atr)).startsWith("3B8A8001");
  }

  @Test
  void selectIsdR_onTheBasicChannel_answersItsFci_andGetEidWorks() {
    Response r = lpa.collect(hex("00A4040010" + IsdR.AID + "00"));
    assertThat(r.sw()).isEqualTo(0x9000);
    assertThat(r.hex()).startsWith("6F188410" + IsdR.AID);
    assertThat(lpa.es10(GET_EID).hex()).isEqualTo(eidAnswer());
  }

  @Test
  void selectWithoutLe_answers61xx_thenGetResponseGivesTheFci() {
    Response r = lpa.raw("00A4040010" + IsdR.AID);
    assertThat(r.sw()).isEqualTo(0x611A);
    assertThat(r.data()).isEmpty();
    Response rest = lpa.raw("00C000001A");
    assertThat(rest.sw()).isEqualTo(0x9000);
    assertThat(rest.hex()).startsWith("6F18");
  }

  @Test
  void selectOfAnotherAid_isNotFound_andKeepsTheSelection() {
    lpa.select();
    assertThat(lpa.raw("00A4040C10A0000005591010FFFFFFFF8900000200").sw()).isEqualTo(0x6A82);
    assertThat(lpa.es10(GET_EID).sw()).isEqualTo(0x9000);
  }

  @Test
  void selectWithWrongP1OrP2_is6A86_andWithoutData_6700() {
    assertThat(lpa.raw("00A4000010" + IsdR.AID).sw()).isEqualTo(0x6A86);
    assertThat(lpa.raw("00A4040110" + IsdR.AID).sw()).isEqualTo(0x6A86);
    assertThat(lpa.raw("00A40400").sw()).isEqualTo(0x6700);
  }

  @Test
  void storeDataBeforeSelect_is6985() {
    assertThat(lpa.raw("80E2910006" + GET_EID).sw()).isEqualTo(0x6985);
  }

  @Test
  void logicalChannels_openSelectAndClose_withTheClaOfIsoForEveryChannel() {
    for (int expected = 1; expected <= 19; expected++) {
      Response open = lpa.raw("0070000001");
      assertThat(open.sw()).isEqualTo(0x9000);
      assertThat(open.data()).containsExactly(expected);
      lpa.channel = expected;
      lpa.select();
      assertThat(lpa.es10(GET_EID).hex()).isEqualTo(eidAnswer());
      lpa.channel = 0;
    }
    assertThat(lpa.raw("0070000001").sw()).isEqualTo(0x6A81); // none left
    // channel 5 is CLA 41 (further interindustry), STORE DATA C1
    assertThat(lpa.raw("C1E2910006" + GET_EID).sw()).isEqualTo(0x6115);
    assertThat(lpa.raw("00708005").sw()).isEqualTo(0x9000);
    assertThat(lpa.raw("C1E2910006" + GET_EID).sw()).isEqualTo(0x6881);
    assertThat(lpa.raw("00700005").sw()).isEqualTo(0x9000); // reopen by number
    assertThat(lpa.raw("C1E2910006" + GET_EID).sw()).isEqualTo(0x6985); // nothing selected
    assertThat(lpa.raw("00708000").sw()).isEqualTo(0x6A86); // the basic channel stays
    assertThat(lpa.raw("00700003").sw()).isEqualTo(0x6985); // already open
    assertThat(lpa.raw("00700014").sw()).isEqualTo(0x6A86); // channel 20 does not exist
    assertThat(lpa.raw("007001000100").sw()).isEqualTo(0x6700); // data where none belongs
    assertThat(lpa.raw("0070400000").sw()).isEqualTo(0x6A86);
  }

  @Test
  void closingAChannelFromItself_usesItsCla_andResetClosesAll() {
    lpa.openAndSelect();
    assertThat(lpa.raw("0170800000").sw()).isEqualTo(0x9000);
    assertThat(lpa.raw("01A4040C10" + IsdR.AID).sw()).isEqualTo(0x6881);
    lpa.openAndSelect();
    card.reset();
    assertThat(lpa.raw("01A4040C10" + IsdR.AID).sw()).isEqualTo(0x6881);
    assertThat(lpa.raw("80E2910006" + GET_EID).sw()).isEqualTo(0x6985);
  }

  @Test
  void storeData_chainsBlocksOfAnySize() {
    lpa.openAndSelect();
    byte[] command = hex("BF2D00");
    for (int size : new int[] {1, 2, 120, 255}) {
      lpa.blockSize = size;
      assertThat(lpa.es10(GET_EID).hex()).isEqualTo(eidAnswer());
      assertThat(lpa.es10(command).sw()).isEqualTo(0x9000);
    }
  }

  @Test
  void outOfSequenceBlock_is6B00_unknownP1_6A86_andTheChainStartsAgainAtZero() {
    lpa.openAndSelect();
    int cla = lpa.cla(0x80);
    String c = String.format("%02X", cla);
    assertThat(lpa.raw(c + "E2110003BF3E03").sw()).isEqualTo(0x9000);
    assertThat(lpa.raw(c + "E2910203" + "5C015A").sw()).isEqualTo(0x6B00); // block 2, not 1
    assertThat(lpa.raw(c + "E2910103" + "5C015A").sw()).isEqualTo(0x6B00); // chain was dropped
    assertThat(lpa.raw(c + "E2110003BF3E03").sw()).isEqualTo(0x9000);
    assertThat(lpa.raw(c + "E2810103" + "5C015A").sw()).isEqualTo(0x6A86);
    assertThat(lpa.raw(c + "E2910006" + GET_EID).sw()).isEqualTo(0x6115);
    assertThat(lpa.raw(c + "E29101").sw()).isEqualTo(0x6B00); // no chain open: block 0 expected
    assertThat(lpa.raw(c + "E2910000").sw()).isEqualTo(0x6700); // a block without data
  }

  @Test
  void aCommandLongerThanTheCardTakes_is6A84_andTheChainStartsAgain() {
    lpa.openAndSelect();
    byte[] block = new byte[255];
    int sw = 0;
    int i = 0;
    while (i * 255 <= ApduCard.MAX_COMMAND) {
      sw = lpa.raw(TestLpa.apdu(lpa.cla(0x80), 0xE2, 0x11, i, block, false)).sw();
      if (sw != 0x9000) {
        break;
      }
      i++;
    }
    assertThat(sw).isEqualTo(0x6A84);
    assertThat(lpa.es10(GET_EID).hex()).isEqualTo(eidAnswer());
  }

  @Test
  void anInternalFailure_is6F00_andTheCardGoesOn() {
    CardServices broken =
        new CardServices(
            f.sim.chips,
            new org.ifpp.euicc.loading.PackageLoader() {
              @Override
              public org.ifpp.euicc.loading.LoadOutcome load(
                  Eid e, byte[] p, byte[] c, org.ifpp.crypto.bpp.BppEuiccOtpk n) {
                throw new IllegalStateException("boom");
              }

              @Override
              public void requireUnusedOneTimeKey(Eid e, org.ifpp.crypto.bpp.BppEuiccOtpk n) {
                throw new IllegalStateException("boom");
              }

              @Override
              public org.ifpp.euicc.loading.SegmentedLoad beginLoading(
                  Eid e, byte[] b, byte[] c, org.ifpp.crypto.bpp.BppEuiccOtpk n) {
                throw new IllegalStateException("boom");
              }
            },
            new org.ifpp.euicc.notifications.NotificationService(f.sim.chips),
            new org.ifpp.euicc.profiles.ProfileManagementService(f.sim.chips),
            new org.ifpp.euicc.finalisation.FinalisationService(
                f.sim.chips, new org.ifpp.euicc.chip.ChipSigners(f.sim.random)),
            java.util.List.of(),
            CardServices.GSMA_ROOT_DS,
            1 << 20);
    TestLpa other = new TestLpa(new ApduCard(eid, broken)).openAndSelect();
    Response r = other.load(f.certificate(), CardFixture.segments(f.sim.bind(eid, 0)));
    assertThat(r.sw()).isEqualTo(0x6F00);
    assertThat(other.es10(GET_EID).hex()).isEqualTo(eidAnswer());
  }

  @Test
  void getResponse_deliversUpToLe_andAnnouncesTheRest() {
    lpa.openAndSelect();
    String c = String.format("%02X", lpa.cla(0x80));
    String g = String.format("%02X", lpa.cla(0x00));
    Response first = lpa.raw(c + "E2910006" + GET_EID + "05"); // Le = 5
    assertThat(first.hex()).isEqualTo(eidAnswer().substring(0, 10));
    assertThat(first.sw()).isEqualTo(0x6110);
    Response part = lpa.raw(g + "C0000004");
    assertThat(part.data()).hasSize(4);
    assertThat(part.sw()).isEqualTo(0x610C);
    assertThat(lpa.raw(g + "C0010000").sw()).isEqualTo(0x6A86); // wrong P1 keeps it pending
    Response rest = lpa.raw(g + "C0000000");
    assertThat(rest.sw()).isEqualTo(0x9000);
    assertThat(first.hex() + part.hex() + rest.hex()).isEqualTo(eidAnswer());
    assertThat(lpa.raw(g + "C0000000").sw()).isEqualTo(0x6985); // nothing pending
  }

  @Test
  void anotherCommand_dropsAPendingResponse() {
    lpa.openAndSelect();
    String c = String.format("%02X", lpa.cla(0x80));
    String g = String.format("%02X", lpa.cla(0x00));
    assertThat(lpa.raw(c + "E2910006" + GET_EID).sw()).isEqualTo(0x6115);
    assertThat(lpa.raw(g + "A4040C10" + IsdR.AID).sw()).isEqualTo(0x9000);
    assertThat(lpa.raw(g + "C0000000").sw()).isEqualTo(0x6985);
  }

  @Test
  void badClassInstructionAndLength_haveTheirStatusWords() {
    lpa.select();
    assertThat(lpa.raw("FFE2910006" + GET_EID).sw()).isEqualTo(0x6E00);
    assertThat(lpa.raw("00E2910006" + GET_EID).sw()).isEqualTo(0x6E00); // STORE DATA needs 80
    assertThat(lpa.raw("80A4040C10" + IsdR.AID).sw()).isEqualTo(0x6E00); // SELECT needs 00
    assertThat(lpa.raw("20A4040C10" + IsdR.AID).sw()).isEqualTo(0x6E00); // RFU class
    assertThat(lpa.raw("0CA4040C10" + IsdR.AID).sw()).isEqualTo(0x6882); // secure messaging
    assertThat(lpa.raw("60A4040C10" + IsdR.AID).sw()).isEqualTo(0x6882);
    assertThat(lpa.raw("10A4040C10" + IsdR.AID).sw()).isEqualTo(0x6884); // command chaining
    assertThat(lpa.raw("80CA9F7F00").sw()).isEqualTo(0x6D00);
    assertThat(lpa.raw("00B0000000").sw()).isEqualTo(0x6D00);
    assertThat(lpa.raw("80E291").sw()).isEqualTo(0x6700); // short header
    assertThat(lpa.raw("80E2910006BF3E").sw()).isEqualTo(0x6700); // Lc longer than the data
    assertThat(lpa.raw("80E29100000003BF3E00").sw()).isEqualTo(0x6700); // extended length
    assertThat(lpa.raw(new byte[0]).sw()).isEqualTo(0x6700);
    assertThat(lpa.raw((byte[]) null).sw()).isEqualTo(0x6700);
  }

  @Test
  void unknownEs10Function_is6A88_andUndecodableData_6A80() {
    lpa.select();
    assertThat(lpa.es10("BF2E00").sw()).isEqualTo(0x6A88); // GetEuiccChallenge: needs an SM-DP+
    assertThat(lpa.es10("BF3E05").sw()).isEqualTo(0x6A80); // length beyond the data
    assertThat(lpa.es10("BF3E035C015A00").sw()).isEqualTo(0x6A80); // trailing byte
    assertThat(lpa.es10("1F").sw()).isEqualTo(0x6A80);
    assertThat(lpa.es10("5A00").sw()).isEqualTo(0x6A80); // a primitive where a request belongs
    assertThat(lpa.es10("BF3E035C014F").sw()).isEqualTo(0x6A80); // GetEID asks for the EID only
    assertThat(lpa.es10("F400").sw()).isEqualTo(0x6A80); // an empty certificate
    assertThat(lpa.es10("A000").sw()).isEqualTo(0x6985); // a segment with no package begun
  }

  @Test
  void randomGarbage_neverCrashesTheCard_andLeavesItWorking() {
    Random random = new Random(42);
    lpa.openAndSelect();
    for (int i = 0; i < 5000; i++) {
      byte[] apdu = new byte[random.nextInt(40)];
      random.nextBytes(apdu);
      if (apdu.length > 0 && random.nextBoolean()) {
        apdu[0] = (byte) (random.nextBoolean() ? 0x80 : 0x00); // reach the instructions
      }
      byte[] r = card.transmit(apdu);
      assertThat(r.length).isGreaterThanOrEqualTo(2);
      assertThat(r[r.length - 2]).isNotEqualTo((byte) 0x6F); // no internal failure either
    }
    card.reset();
    lpa = new TestLpa(card).openAndSelect();
    assertThat(lpa.es10(GET_EID).hex()).isEqualTo(eidAnswer());
    assertThat(f.sim.remaining(eid)).isEqualTo(4);
  }
}
