package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.euicc.card.Asn1Schema.decodeStrictly;

import java.nio.file.Path;
import java.util.HexFormat;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.euicc.card.TestLpa.Response;
import org.ifpp.euicc.chip.InstalledProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ES10 answer of the card, decoded strictly against the SGP.22 v2.2.2 ASN.1 ({@link
 * Sgp22Asn1}) and compared with what the chip holds.
 */
class Es10AnswersTest {

  @TempDir Path dir;
  CardFixture f;
  Eid eid;
  TestLpa lpa;
  Iccid iccid;

  @BeforeEach
  void setUp() {
    f = new CardFixture(dir);
    eid = f.sim.newChip();
    lpa = f.lpa(eid);
  }

  private String hex(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  private Response ok(String command, Asn1Schema.Field schema) {
    Response r = lpa.es10(command);
    assertThat(r.sw()).as(command).isEqualTo(0x9000);
    decodeStrictly(r.data(), schema);
    return r;
  }

  private void install() {
    Response r = lpa.load(f.certificate(), CardFixture.segments(f.sim.bind(eid, 0)));
    assertThat(CardLoadTest.pir(r.data()).isSuccess()).isTrue();
    iccid = f.sim.status(eid).profiles().get(0).iccid();
  }

  private void finalise() {
    f.sim.finalise(eid);
  }

  private String iccidTlv() {
    return "5A0A" + hex(iccid.toBytes());
  }

  @Test
  void getEid_withAndWithoutTagList() {
    String expected = "BF3E125A10" + hex(eid.toBytes());
    assertThat(ok("BF3E035C015A", Sgp22Asn1.GET_EUICC_DATA_RESPONSE).hex()).isEqualTo(expected);
    assertThat(ok("BF3E00", Sgp22Asn1.GET_EUICC_DATA_RESPONSE).hex()).isEqualTo(expected);
  }

  @Test
  void getProfilesInfo_emptyThenTheInstalledProfile_withAndWithoutTagList() {
    assertThat(ok("BF2D00", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex()).isEqualTo("BF2D02A000");
    install();
    InstalledProfile p = f.sim.status(eid).profiles().get(0);
    String all = ok("BF2D00", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex();
    assertThat(all)
        .contains(iccidTlv())
        .contains("4F10" + p.isdpAid())
        .contains("9F700100") // disabled
        .contains("950102"); // operational
    assertThat(all).contains("92" + String.format("%02X", p.name().length()));
    String some = ok("BF2D065C045A9F7095", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex();
    assertThat(some).isEqualTo("BF2D17A015E313" + iccidTlv() + "9F700100" + "950102");
    // search by ICCID, by AID; an unknown one finds nothing; an unreadable criterion is an error
    assertThat(ok("BF2D0EA00C" + iccidTlv(), Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex())
        .isEqualTo(all);
    assertThat(ok("BF2D14A0124F10" + p.isdpAid(), Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex())
        .isEqualTo(all);
    assertThat(ok("BF2D07A0054F03A00000", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex())
        .isEqualTo("BF2D02A000");
    assertThat(ok("BF2D05A003800100", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex())
        .isEqualTo("BF2D03810101");
  }

  @Test
  void euiccInfo1And2_carryTheMandatoryFields_andTheTrustedCi() {
    String ski = hex(CardServices.subjectKeyIds(f.sim.trusted).get(0));
    assertThat(ok("BF2000", Sgp22Asn1.EUICC_INFO1).hex()).startsWith("BF20").contains(ski);
    assertThat(ok("BF2200", Sgp22Asn1.EUICC_INFO2).hex()).contains("8203020202").contains(ski);
  }

  @Test
  void euiccInfo2Answer_statesWhatTheExportedEuiccDataCarries() {
    org.ifpp.crypto.euiccdata.EuiccInfo2 answered =
        org.ifpp.crypto.euiccdata.EuiccInfo2.parse(
            java.util.HexFormat.of().parseHex(ok("BF2200", Sgp22Asn1.EUICC_INFO2).hex()));
    org.ifpp.crypto.euiccdata.EuiccInfo2 exported = org.ifpp.euicc.chip.ChipCapabilities.exported();
    assertThat(answered.svn()).isEqualTo(exported.svn());
    assertThat(answered.uiccCapabilities()).isEqualTo(exported.uiccCapabilities());
    assertThat(answered.category()).isEqualTo(exported.category());
  }

  @Test
  void configuredAddressesAndRat_areWhatAnLpaReads() {
    assertThat(ok("BF3C00", Sgp22Asn1.EUICC_CONFIGURED_ADDRESSES_RESPONSE).hex())
        .isEqualTo("BF3C1181" + "0F" + hex("lpa.ds.gsma.com".getBytes()));
    assertThat(ok("BF4300", Sgp22Asn1.GET_RAT_RESPONSE).hex()).isEqualTo("BF4302A000");
  }

  @Test
  void notifications_listRetrieveAndRemove() {
    install();
    lpa.load(null, CardFixture.segments(f.sim.bind(eid, 0))); // refused: a second notification
    Response list = ok("BF2800", Sgp22Asn1.LIST_NOTIFICATION_RESPONSE);
    assertThat(list.hex()).contains(iccidTlv());
    assertThat(ok("BF280481020780", Sgp22Asn1.LIST_NOTIFICATION_RESPONSE).hex())
        .isEqualTo(list.hex());
    assertThat(ok("BF280481020640", Sgp22Asn1.LIST_NOTIFICATION_RESPONSE).hex())
        .isEqualTo("BF2802A000"); // enable events: none
    Response all = ok("BF2B00", Sgp22Asn1.RETRIEVE_NOTIFICATIONS_LIST_RESPONSE);
    assertThat(all.data().length).isGreaterThan(256); // went out through GET RESPONSE
    var pending = f.sim.chips.get(eid);
    long first = pending.locked(() -> pending.notifications().get(0).seqNumber());
    String bySeq =
        ok(
                String.format("BF2B05A003800%d%02X", 1, first),
                Sgp22Asn1.RETRIEVE_NOTIFICATIONS_LIST_RESPONSE)
            .hex();
    byte[] firstPir =
        pending.locked(() -> pending.notifications().get(0).profileInstallationResult());
    assertThat(bySeq).contains(hex(firstPir));
    assertThat(
            ok(String.format("BF3003800%d%02X", 1, first), Sgp22Asn1.NOTIFICATION_SENT_RESPONSE)
                .hex())
        .isEqualTo("BF3003800100");
    assertThat(
            ok(String.format("BF3003800%d%02X", 1, first), Sgp22Asn1.NOTIFICATION_SENT_RESPONSE)
                .hex())
        .isEqualTo("BF3003800101"); // nothingToDelete
    assertThat(pending.locked(() -> pending.notifications().size())).isEqualTo(1);
  }

  @Test
  void enableDisableDelete_refusedWhileFieldServicesAreLocked_workAfterFinalisation() {
    install();
    String enable = "BF3111A00C" + iccidTlv() + "8101FF";
    String disable = "BF3211A00C" + iccidTlv() + "8101FF";
    String delete = "BF330C" + iccidTlv();
    assertThat(ok(enable, Sgp22Asn1.ENABLE_PROFILE_RESPONSE).hex()).isEqualTo("BF3103800103");
    assertThat(ok(delete, Sgp22Asn1.DELETE_PROFILE_RESPONSE).hex()).isEqualTo("BF3303800103");
    assertThat(
            ok(
                    "BF291B" + iccidTlv() + "900D" + hex("my first eSIM".getBytes()),
                    Sgp22Asn1.SET_NICKNAME_RESPONSE)
                .hex())
        .isEqualTo("BF2903800001".substring(0, 6) + "80017F");
    finalise();
    assertThat(ok(disable, Sgp22Asn1.DISABLE_PROFILE_RESPONSE).hex()).isEqualTo("BF3203800102");
    assertThat(ok(enable, Sgp22Asn1.ENABLE_PROFILE_RESPONSE).hex()).isEqualTo("BF3103800100");
    assertThat(ok(enable, Sgp22Asn1.ENABLE_PROFILE_RESPONSE).hex()).isEqualTo("BF3103800102");
    assertThat(ok("BF2D00", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex()).contains("9F700101");
    assertThat(ok(delete, Sgp22Asn1.DELETE_PROFILE_RESPONSE).hex()).isEqualTo("BF3303800102");
    assertThat(
            ok(
                    "BF291B" + iccidTlv() + "900D" + hex("my first eSIM".getBytes()),
                    Sgp22Asn1.SET_NICKNAME_RESPONSE)
                .hex())
        .isEqualTo("BF2903800100");
    // the state and nickname are persisted: a restarted simulator reports them
    f.sim.restart();
    lpa = f.lpa(eid);
    assertThat(ok("BF2D00", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex())
        .contains("9F700101")
        .contains("900D" + hex("my first eSIM".getBytes()));
    assertThat(ok(disable, Sgp22Asn1.DISABLE_PROFILE_RESPONSE).hex()).isEqualTo("BF3203800100");
    assertThat(ok(delete, Sgp22Asn1.DELETE_PROFILE_RESPONSE).hex()).isEqualTo("BF3303800100");
    assertThat(ok(delete, Sgp22Asn1.DELETE_PROFILE_RESPONSE).hex()).isEqualTo("BF3303800101");
    assertThat(ok("BF2D00", Sgp22Asn1.PROFILE_INFO_LIST_RESPONSE).hex()).isEqualTo("BF2D02A000");
  }

  @Test
  void profileIdentifiedByIsdpAid_isFound_andABadIdentifierIs6A80() {
    install();
    finalise();
    String aid = f.sim.status(eid).profiles().get(0).isdpAid();
    assertThat(ok("BF3117A0124F10" + aid + "8101FF", Sgp22Asn1.ENABLE_PROFILE_RESPONSE).hex())
        .isEqualTo("BF3103800100");
    assertThat(lpa.es10("BF3105810101FF".substring(0, 14)).sw()).isEqualTo(0x6A80);
    assertThat(lpa.es10("BF3306800401020304").sw()).isEqualTo(0x6A80);
  }
}
