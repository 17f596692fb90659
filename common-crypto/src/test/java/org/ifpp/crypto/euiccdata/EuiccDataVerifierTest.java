package org.ifpp.crypto.euiccdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.crypto.pki.EuiccChainValidator;
import org.ifpp.crypto.pki.JcaTestSigner;
import org.ifpp.crypto.pki.Sgp26;
import org.ifpp.crypto.pki.TrustAnchors;
import org.junit.jupiter.api.Test;

class EuiccDataVerifierTest {

  private static final Clock NOW = Clock.systemUTC();
  private static final Eid EID = Eid.withCheckDigits("890490320000000000000000000001");
  private static final Eid EID2 = Eid.withCheckDigits("890490320000000000000000000002");

  private final DevelopmentPki pki = new DevelopmentPki(NOW);
  private final DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
  private final DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");
  private final EuiccDataVerifier verifier = verifierTrusting(ci);

  private EuiccDataVerifier verifierTrusting(DevelopmentCredential anchor) {
    return new EuiccDataVerifier(
        new EuiccChainValidator(TrustAnchors.of(List.of(anchor.certificate())), NOW));
  }

  private List<EcPublicKey> oneTimeKeys(int n) {
    List<EcPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(EcPublicKey.fromJca(pki.generateKeyPair(Curve.P256).getPublic()));
    }
    return keys;
  }

  private EuiccData chip(Eid eid, DevelopmentCredential eumCredential, List<EcPublicKey> keys) {
    DevelopmentCredential euicc = pki.issueEuicc(eumCredential, Curve.P256, eid);
    return EuiccData.produce(
        eid, euicc.certificateDer(), eumCredential.certificateDer(), keys, JcaTestSigner.of(euicc));
  }

  @Test
  void producedData_roundTripsAndIsAccepted() {
    EuiccData data = chip(EID, eum, oneTimeKeys(5));

    EuiccDataParseResult parsed = EuiccData.parse(data.encode());
    assertThat(parsed).isEqualTo(new EuiccDataParseResult.Parsed(data));
    EuiccDataVerification result = verifier.verify(data.encode());

    assertThat(result.isAccepted()).as(result.toString()).isTrue();
    assertThat(((EuiccDataVerification.Accepted) result).data().oneTimeKeys()).hasSize(5);
  }

  @Test
  void encoding_startsWithTheDocumentedTags() {
    EuiccData data = chip(EID, eum, oneTimeKeys(1));
    String hex = HexFormat.of().formatHex(data.encode());
    assertThat(hex).startsWith("e1"); // [PRIVATE 1]
    assertThat(hex).contains("0201015a10" + EID.value() + "30"); // version 1, eid, certificate
    SignedOneTimePublicKey key = data.oneTimeKeys().get(0);
    assertThat(HexFormat.of().formatHex(SignedOneTimePublicKey.tbs(EID, 0, key.publicKey())))
        .isEqualTo(
            "5a10"
                + EID.value()
                + "020100"
                + "06082a8648ce3d030107"
                + "5f4941"
                + key.publicKey().toHex().toLowerCase());
  }

  @Test
  void wrongSignatureOnOneKey_isRejectedNamingTheKey() {
    EuiccData good = chip(EID, eum, oneTimeKeys(3));
    List<SignedOneTimePublicKey> keys = new ArrayList<>(good.oneTimeKeys());
    byte[] signature = keys.get(2).signature();
    signature[10] ^= 0x01;
    keys.set(2, SignedOneTimePublicKey.of(2, keys.get(2).publicKey(), signature));
    EuiccData tampered = EuiccData.of(EID, good.euiccCertificate(), good.eumCertificate(), keys);

    assertRejected(
        verifier.verify(tampered.encode()), EuiccDataRejection.ONE_TIME_KEY_BAD_SIGNATURE, 2);
  }

  @Test
  void keySignedForAnotherEid_isRejected() {
    EuiccData good = chip(EID, eum, oneTimeKeys(1));
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, EID);
    EcPublicKey key = good.oneTimeKeys().get(0).publicKey();
    SignedOneTimePublicKey forOtherChip =
        SignedOneTimePublicKey.sign(EID2, 0, key, JcaTestSigner.of(euicc));
    EuiccData data =
        EuiccData.of(EID, euicc.certificateDer(), eum.certificateDer(), List.of(forOtherChip));

    assertRejected(verifier.verify(data), EuiccDataRejection.ONE_TIME_KEY_BAD_SIGNATURE, 0);
  }

  @Test
  void eidOutsideTheEumRange_isRejected() {
    Eid foreign = Eid.withCheckDigits("890010120000000000000000000001");
    assertRejected(
        verifier.verify(chip(foreign, eum, oneTimeKeys(1))),
        EuiccDataRejection.EID_OUTSIDE_EUM_RANGE,
        -1);
  }

  @Test
  void recordEidDifferentFromCertificate_isEidMismatch() {
    EuiccData other = chip(EID2, eum, oneTimeKeys(1));
    EuiccData data =
        EuiccData.of(EID, other.euiccCertificate(), other.eumCertificate(), other.oneTimeKeys());
    assertRejected(verifier.verify(data), EuiccDataRejection.EID_MISMATCH, -1);
  }

  @Test
  void dataFiledUnderAnotherEid_isEidMismatch() {
    byte[] der = chip(EID, eum, oneTimeKeys(1)).encode();
    assertThat(verifier.verify(EID, der).isAccepted()).isTrue();
    assertRejected(verifier.verify(EID2, der), EuiccDataRejection.EID_MISMATCH, -1);
  }

  @Test
  void chainOfAForeignCi_isUntrusted() {
    DevelopmentCredential foreignCi = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential foreignEum = pki.issueEum(foreignCi, Curve.P256, "Dev EUM", "8904");
    assertRejected(
        verifier.verify(chip(EID, foreignEum, oneTimeKeys(1))),
        EuiccDataRejection.UNTRUSTED_CHAIN,
        -1);
  }

  @Test
  void duplicateOneTimeKey_isRejected() {
    List<EcPublicKey> keys = oneTimeKeys(2);
    keys.add(keys.get(0));
    assertRejected(
        verifier.verify(chip(EID, eum, keys)), EuiccDataRejection.DUPLICATE_ONE_TIME_KEY, 2);
  }

  @Test
  void duplicateKeyIndex_isRejected() {
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, EID);
    JcaTestSigner signer = JcaTestSigner.of(euicc);
    List<SignedOneTimePublicKey> keys = new ArrayList<>();
    for (EcPublicKey key : oneTimeKeys(2)) {
      keys.add(SignedOneTimePublicKey.sign(EID, 7, key, signer));
    }
    EuiccData data = EuiccData.of(EID, euicc.certificateDer(), eum.certificateDer(), keys);
    assertRejected(verifier.verify(data), EuiccDataRejection.DUPLICATE_KEY_INDEX, 7);
  }

  @Test
  void everyTruncation_isMalformed() {
    byte[] der = chip(EID, eum, oneTimeKeys(2)).encode();
    for (int length = 0; length < der.length; length++) {
      EuiccDataVerification result = verifier.verify(Arrays.copyOf(der, length));
      assertThat(((EuiccDataVerification.Rejected) result).reason())
          .isEqualTo(EuiccDataRejection.MALFORMED);
    }
  }

  @Test
  void pointNotOnTheCurve_isMalformed() {
    byte[] der = chip(EID, eum, oneTimeKeys(1)).encode();
    int at = indexOf(der, new byte[] {0x5f, 0x49, 0x41, 0x04});
    der[at + 40] ^= 0x01; // the Y coordinate no longer matches X
    assertThat(EuiccData.parse(der)).isInstanceOf(EuiccDataParseResult.Malformed.class);
  }

  @Test
  void batch_rejectsRepeatedEidAndRepeatedKeysAcrossChips_perChip() {
    List<EcPublicKey> shared = oneTimeKeys(2);
    EuiccData first = chip(EID, eum, shared);
    EuiccData repeatedEid = chip(EID, eum, oneTimeKeys(1));
    EuiccData stolenKey = chip(EID2, eum, List.of(shared.get(1)));
    byte[] der = EuiccDataBatch.of(List.of(first, repeatedEid, stolenKey)).encode();

    List<EuiccDataVerification> results = verifier.verifyBatch(der).orElseThrow();

    assertThat(results.get(0).isAccepted()).isTrue();
    assertRejected(results.get(1), EuiccDataRejection.DUPLICATE_EID, -1);
    assertRejected(results.get(2), EuiccDataRejection.DUPLICATE_ONE_TIME_KEY, 0);
    assertThat(EuiccDataBatch.parse(der)).isInstanceOf(BatchParseResult.Parsed.class);
    assertThat(verifier.verifyBatch(Arrays.copyOf(der, der.length - 1))).isEmpty();
  }

  @Test
  void sgp26Euicc_producesVerifiableData() {
    Eid eid = Eid.of(Sgp26.EID);
    EuiccData data =
        EuiccData.produce(
            eid,
            Sgp26.der("euicc.der"),
            Sgp26.der("eum.der"),
            oneTimeKeys(3),
            new JcaTestSigner(Sgp26.privateKey("euicc-key.pem"), Curve.P256));
    EuiccDataVerifier sgp26 =
        new EuiccDataVerifier(new EuiccChainValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK));

    assertThat(sgp26.verify(data.encode()).isAccepted()).isTrue();
    assertRejected(verifier.verify(data), EuiccDataRejection.UNTRUSTED_CHAIN, -1);
  }

  private static void assertRejected(
      EuiccDataVerification result, EuiccDataRejection reason, int keyIndex) {
    assertThat(result).isInstanceOf(EuiccDataVerification.Rejected.class);
    EuiccDataVerification.Rejected rejected = (EuiccDataVerification.Rejected) result;
    assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
    assertThat(rejected.keyIndex())
        .isEqualTo(keyIndex < 0 ? OptionalInt.empty() : OptionalInt.of(keyIndex));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
