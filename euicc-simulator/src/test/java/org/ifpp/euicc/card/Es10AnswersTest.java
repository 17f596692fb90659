package org.ifpp.euicc.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.beanit.asn1bean.ber.types.BerType;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.euicc.card.TestLpa.Response;
import org.ifpp.euicc.card.asn1.rspdefinitions.DeleteProfileResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.DisableProfileResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.EUICCInfo1;
import org.ifpp.euicc.card.asn1.rspdefinitions.EUICCInfo2;
import org.ifpp.euicc.card.asn1.rspdefinitions.EnableProfileResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.EuiccConfiguredAddressesResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.GetEuiccDataResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.GetRatResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.ListNotificationResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.NotificationSentResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.ProfileInfoListResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.RetrieveNotificationsListResponse;
import org.ifpp.euicc.card.asn1.rspdefinitions.SetNicknameResponse;
import org.ifpp.euicc.chip.InstalledProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ES10 answer of the card, decoded with the compiled SGP.22 v2.2.2 ASN.1 ({@link Sgp22Der})
 * and compared with what the chip holds.
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

  private Response ok(String command, Supplier<? extends BerType> schema) {
    Response r = lpa.es10(command);
    assertThat(r.sw()).as(command).isEqualTo(0x9000);
    Sgp22Der.decode(r.data(), schema);
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
    assertThat(ok("BF3E035C015A", GetEuiccDataResponse::new).hex()).isEqualTo(expected);
    assertThat(ok("BF3E00", GetEuiccDataResponse::new).hex()).isEqualTo(expected);
  }

  @Test
  void getProfilesInfo_emptyThenTheInstalledProfile_withAndWithoutTagList() {
    assertThat(ok("BF2D00", ProfileInfoListResponse::new).hex()).isEqualTo("BF2D02A000");
    install();
    InstalledProfile p = f.sim.status(eid).profiles().get(0);
    String all = ok("BF2D00", ProfileInfoListResponse::new).hex();
    assertThat(all)
        .contains(iccidTlv())
        .contains("4F10" + p.isdpAid())
        .contains("9F700100") // disabled
        .contains("950102"); // operational
    assertThat(all).contains("92" + String.format("%02X", p.name().length()));
    String some = ok("BF2D065C045A9F7095", ProfileInfoListResponse::new).hex();
    assertThat(some).isEqualTo("BF2D17A015E313" + iccidTlv() + "9F700100" + "950102");
    // search by ICCID, by AID; an unknown one finds nothing; an unreadable criterion is an error
    assertThat(ok("BF2D0EA00C" + iccidTlv(), ProfileInfoListResponse::new).hex()).isEqualTo(all);
    assertThat(ok("BF2D14A0124F10" + p.isdpAid(), ProfileInfoListResponse::new).hex())
        .isEqualTo(all);
    assertThat(ok("BF2D07A0054F03A00000", ProfileInfoListResponse::new).hex())
        .isEqualTo("BF2D02A000");
    assertThat(ok("BF2D05A003800100", ProfileInfoListResponse::new).hex())
        .isEqualTo("BF2D03810101");
  }

  @Test
  void euiccInfo1And2_carryTheMandatoryFields_andTheTrustedCi() {
    String ski = hex(CardServices.subjectKeyIds(f.sim.trusted).get(0));
    assertThat(ok("BF2000", EUICCInfo1::new).hex()).startsWith("BF20").contains(ski);
    assertThat(ok("BF2200", EUICCInfo2::new).hex()).contains("8203020202").contains(ski);
  }

  @Test
  void euiccInfo2Answer_statesWhatTheExportedEuiccDataCarries() {
    org.ifpp.crypto.euiccdata.EuiccInfo2 answered =
        org.ifpp.crypto.euiccdata.EuiccInfo2.parse(
            java.util.HexFormat.of().parseHex(ok("BF2200", EUICCInfo2::new).hex()));
    org.ifpp.crypto.euiccdata.EuiccInfo2 exported = org.ifpp.euicc.chip.ChipCapabilities.exported();
    assertThat(answered.svn()).isEqualTo(exported.svn());
    assertThat(answered.uiccCapabilities()).isEqualTo(exported.uiccCapabilities());
    assertThat(answered.category()).isEqualTo(exported.category());
  }

  @Test
  void configuredAddressesAndRat_areWhatAnLpaReads() {
    assertThat(ok("BF3C00", EuiccConfiguredAddressesResponse::new).hex())
        .isEqualTo("BF3C1181" + "0F" + hex("lpa.ds.gsma.com".getBytes()));
    assertThat(ok("BF4300", GetRatResponse::new).hex()).isEqualTo("BF4302A000");
  }

  @Test
  void notifications_listRetrieveAndRemove() {
    install();
    lpa.load(null, CardFixture.segments(f.sim.bind(eid, 0))); // refused: a second notification
    Response list = ok("BF2800", ListNotificationResponse::new);
    assertThat(list.hex()).contains(iccidTlv());
    assertThat(ok("BF280481020780", ListNotificationResponse::new).hex()).isEqualTo(list.hex());
    assertThat(ok("BF280481020640", ListNotificationResponse::new).hex())
        .isEqualTo("BF2802A000"); // enable events: none
    Response all = ok("BF2B00", RetrieveNotificationsListResponse::new);
    assertThat(all.data().length).isGreaterThan(256); // went out through GET RESPONSE
    var pending = f.sim.chips.get(eid);
    long first = pending.locked(() -> pending.notifications().get(0).seqNumber());
    String bySeq =
        ok(String.format("BF2B05A003800%d%02X", 1, first), RetrieveNotificationsListResponse::new)
            .hex();
    byte[] firstPir =
        pending.locked(() -> pending.notifications().get(0).profileInstallationResult());
    assertThat(bySeq).contains(hex(firstPir));
    assertThat(ok(String.format("BF3003800%d%02X", 1, first), NotificationSentResponse::new).hex())
        .isEqualTo("BF3003800100");
    assertThat(ok(String.format("BF3003800%d%02X", 1, first), NotificationSentResponse::new).hex())
        .isEqualTo("BF3003800101"); // nothingToDelete
    assertThat(pending.locked(() -> pending.notifications().size())).isEqualTo(1);
  }

  @Test
  void enableDisableDelete_refusedWhileFieldServicesAreLocked_workAfterFinalisation() {
    install();
    String enable = "BF3111A00C" + iccidTlv() + "8101FF";
    String disable = "BF3211A00C" + iccidTlv() + "8101FF";
    String delete = "BF330C" + iccidTlv();
    assertThat(ok(enable, EnableProfileResponse::new).hex()).isEqualTo("BF3103800103");
    assertThat(ok(delete, DeleteProfileResponse::new).hex()).isEqualTo("BF3303800103");
    assertThat(
            ok(
                    "BF291B" + iccidTlv() + "900D" + hex("my first eSIM".getBytes()),
                    SetNicknameResponse::new)
                .hex())
        .isEqualTo("BF2903800001".substring(0, 6) + "80017F");
    finalise();
    assertThat(ok(disable, DisableProfileResponse::new).hex()).isEqualTo("BF3203800102");
    assertThat(ok(enable, EnableProfileResponse::new).hex()).isEqualTo("BF3103800100");
    assertThat(ok(enable, EnableProfileResponse::new).hex()).isEqualTo("BF3103800102");
    assertThat(ok("BF2D00", ProfileInfoListResponse::new).hex()).contains("9F700101");
    assertThat(ok(delete, DeleteProfileResponse::new).hex()).isEqualTo("BF3303800102");
    assertThat(
            ok(
                    "BF291B" + iccidTlv() + "900D" + hex("my first eSIM".getBytes()),
                    SetNicknameResponse::new)
                .hex())
        .isEqualTo("BF2903800100");
    // the state and nickname are persisted: a restarted simulator reports them
    f.sim.restart();
    lpa = f.lpa(eid);
    assertThat(ok("BF2D00", ProfileInfoListResponse::new).hex())
        .contains("9F700101")
        .contains("900D" + hex("my first eSIM".getBytes()));
    assertThat(ok(disable, DisableProfileResponse::new).hex()).isEqualTo("BF3203800100");
    assertThat(ok(delete, DeleteProfileResponse::new).hex()).isEqualTo("BF3303800100");
    assertThat(ok(delete, DeleteProfileResponse::new).hex()).isEqualTo("BF3303800101");
    assertThat(ok("BF2D00", ProfileInfoListResponse::new).hex()).isEqualTo("BF2D02A000");
  }

  @Test
  void profileIdentifiedByIsdpAid_isFound_andABadIdentifierIs6A80() {
    install();
    finalise();
    String aid = f.sim.status(eid).profiles().get(0).isdpAid();
    assertThat(ok("BF3117A0124F10" + aid + "8101FF", EnableProfileResponse::new).hex())
        .isEqualTo("BF3103800100");
    assertThat(lpa.es10("BF3105810101FF".substring(0, 14)).sw()).isEqualTo(0x6A80);
    assertThat(lpa.es10("BF3306800401020304").sw()).isEqualTo(0x6A80);
  }
}
