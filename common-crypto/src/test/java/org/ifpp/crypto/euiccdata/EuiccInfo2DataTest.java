package org.ifpp.crypto.euiccdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.JcaTestSigner;
import org.ifpp.crypto.pki.TrustAnchors;
import org.junit.jupiter.api.Test;

/** The chip's capabilities (EUICCInfo2) carried, signed, in its eUICC data. */
class EuiccInfo2DataTest {

  private static final Clock NOW = Clock.systemUTC();
  private static final Eid EID = Eid.withCheckDigits("890490320000000000000000000007");
  private static final EuiccInfo2 INFO =
      EuiccInfo2.of(
          new byte[] {2, 2, 2},
          EnumSet.of(
              UiccCapability.USIM_SUPPORT,
              UiccCapability.AKA_MILENAGE,
              UiccCapability.JAVACARD,
              UiccCapability.MULTIPLE_USIM_SUPPORT),
          Optional.of(EuiccCategory.BASIC_EUICC));

  private final DevelopmentPki pki = new DevelopmentPki(NOW);
  private final DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
  private final DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");
  private final DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, EID);
  private final EuiccDataVerifier verifier =
      new EuiccDataVerifier(
          new EuiccChainValidator(TrustAnchors.of(List.of(ci.certificate())), NOW));

  private EuiccData plain() {
    List<EcPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      keys.add(EcPublicKey.fromJca(pki.generateKeyPair(Curve.P256).getPublic()));
    }
    return EuiccData.produce(
        EID, euicc.certificateDer(), eum.certificateDer(), keys, JcaTestSigner.of(euicc));
  }

  @Test
  void euiccInfo2_parsesItsCapabilitiesAndReEncodesByteForByte() {
    EuiccInfo2 parsed = EuiccInfo2.parse(INFO.encoded());

    assertThat(parsed).isEqualTo(INFO);
    assertThat(parsed.svn()).isEqualTo("2.2.2");
    assertThat(parsed.uiccCapabilities())
        .containsExactlyInAnyOrder(
            UiccCapability.USIM_SUPPORT,
            UiccCapability.AKA_MILENAGE,
            UiccCapability.JAVACARD,
            UiccCapability.MULTIPLE_USIM_SUPPORT);
    assertThat(parsed.category()).contains(EuiccCategory.BASIC_EUICC);
    assertThat(HexFormat.of().formatHex(INFO.encoded())).startsWith("bf22");
  }

  @Test
  void dataWithoutCapabilities_staysAcceptedAsBefore() {
    EuiccData data = plain();

    assertThat(data.euiccInfo2()).isEmpty();
    assertThat(verifier.verify(data.encode()).isAccepted()).isTrue();
  }

  @Test
  void signedCapabilities_roundTripAndAreAccepted() {
    EuiccData data = plain().withEuiccInfo2(INFO, JcaTestSigner.of(euicc));

    EuiccDataParseResult parsed = EuiccData.parse(data.encode());
    assertThat(parsed).isEqualTo(new EuiccDataParseResult.Parsed(data));
    EuiccDataVerification result = verifier.verify(data.encode());
    assertThat(result.isAccepted()).as(result.toString()).isTrue();
    assertThat(((EuiccDataVerification.Accepted) result).data().euiccInfo2()).contains(INFO);
  }

  @Test
  void capabilitiesChangedAfterSigning_areRejected() {
    EuiccData signed = plain().withEuiccInfo2(INFO, JcaTestSigner.of(euicc));
    EuiccInfo2 more =
        EuiccInfo2.of(
            new byte[] {2, 2, 2},
            EnumSet.allOf(UiccCapability.class),
            Optional.of(EuiccCategory.BASIC_EUICC));
    EuiccData tampered = signed.withEuiccInfo2(more, signed.euiccInfo2Signature().orElseThrow());

    EuiccDataVerification result = verifier.verify(tampered.encode());

    assertThat(result).isInstanceOf(EuiccDataVerification.Rejected.class);
    assertThat(((EuiccDataVerification.Rejected) result).reason())
        .isEqualTo(EuiccDataRejection.EUICC_INFO_BAD_SIGNATURE);
  }

  @Test
  void capabilitiesSignedByAnotherChip_areRejected() {
    DevelopmentCredential other =
        pki.issueEuicc(eum, Curve.P256, Eid.withCheckDigits("890490320000000000000000000008"));
    EuiccData data = plain().withEuiccInfo2(INFO, JcaTestSigner.of(other));

    EuiccDataVerification result = verifier.verify(data.encode());

    assertThat(((EuiccDataVerification.Rejected) result).reason())
        .isEqualTo(EuiccDataRejection.EUICC_INFO_BAD_SIGNATURE);
  }

  @Test
  void capabilitiesWithoutSignature_areMalformed() {
    byte[] signed = plain().withEuiccInfo2(INFO, JcaTestSigner.of(euicc)).encode();
    // drop the trailing 5F37 40 signature and fix the outer E1 length (long form 82 xx xx)
    byte[] cut = Arrays.copyOf(signed, signed.length - 67);
    int length = ((cut[2] & 0xFF) << 8 | (cut[3] & 0xFF)) - 67;
    cut[2] = (byte) (length >> 8);
    cut[3] = (byte) length;

    assertThat(verifier.verify(cut))
        .isInstanceOfSatisfying(
            EuiccDataVerification.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(EuiccDataRejection.MALFORMED));
  }

  @Test
  void theTbs_isTheEidThenTheCarriedBytes() {
    assertThat(HexFormat.of().formatHex(EuiccData.euiccInfo2Tbs(EID, INFO)))
        .isEqualTo("5a10" + EID.value() + HexFormat.of().formatHex(INFO.encoded()));
  }
}
