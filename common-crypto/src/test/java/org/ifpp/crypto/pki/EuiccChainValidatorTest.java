package org.ifpp.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.EuiccChainValidation.Element;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.junit.jupiter.api.Test;

class EuiccChainValidatorTest {

  private static final Eid SGP26_EID = Eid.of(Sgp26.EID);
  private static final Clock NOW = Clock.systemUTC();

  private final DevelopmentPki pki = new DevelopmentPki(NOW);

  private static EuiccChainValidation sgp26(Clock clock, Eid expected) {
    return new EuiccChainValidator(Sgp26.allCis(), clock)
        .validate(Sgp26.der("euicc.der"), Sgp26.der("eum.der"), expected);
  }

  @Test
  void sgp26Chain_isValid_andYieldsTheKeyOfEuiccKeyPem() {
    EuiccChainValidation result = sgp26(Sgp26.VALID_CLOCK, SGP26_EID);

    assertThat(result).isInstanceOf(EuiccChainValidation.Valid.class);
    EuiccChainValidation.Valid valid = (EuiccChainValidation.Valid) result;
    assertThat(valid.eid()).isEqualTo(SGP26_EID);
    assertThat(valid.eumSubject().getName()).contains("EUM Test");
    byte[] message = {1, 2, 3};
    byte[] signature =
        new JcaTestSigner(Sgp26.privateKey("euicc-key.pem"), Curve.P256).sign(message);
    assertThat(EcdsaVerification.verifyRaw(valid.euiccKey(), message, signature)).isTrue();
  }

  @Test
  void sgp26Chain_underTheNistCiName_isUntrusted() {
    // eum.der names "GSMA Test CI"; the 2020 "Test CI" has the same key id but another name
    TrustAnchors nistOnly = TrustAnchors.fromDer(Sgp26.der("CERT_CI_ECDSA_NIST.der"));
    EuiccChainValidation result =
        new EuiccChainValidator(nistOnly, Sgp26.VALID_CLOCK)
            .validate(Sgp26.der("euicc.der"), Sgp26.der("eum.der"), SGP26_EID);
    assertInvalid(result, ValidationFailure.UNTRUSTED_ISSUER, Element.EUM);
  }

  @Test
  void sgp26Chain_forAnotherExpectedEid_isEidMismatch() {
    Eid other = Eid.withCheckDigits("890490321234512345123456789099");
    assertThat(other).isNotEqualTo(SGP26_EID);
    assertInvalid(sgp26(Sgp26.VALID_CLOCK, other), ValidationFailure.EID_MISMATCH, Element.EUICC);
  }

  @Test
  void sgp26Chain_beforeEuiccNotBefore_isNotYetValid() {
    Clock before = Clock.fixed(Instant.parse("2026-08-08T16:26:48Z"), ZoneOffset.UTC);
    assertInvalid(sgp26(before, SGP26_EID), ValidationFailure.NOT_YET_VALID, Element.EUICC);
  }

  @Test
  void sgp26Chain_afterEumNotAfter_isExpired() {
    Clock after = Clock.fixed(Instant.parse("2051-01-20T00:00:00Z"), ZoneOffset.UTC);
    assertInvalid(sgp26(after, SGP26_EID), ValidationFailure.EXPIRED, Element.EUM);
  }

  @Test
  void tamperedEuiccSignature_isRejected() {
    byte[] euicc = Sgp26.der("euicc.der");
    euicc[euicc.length - 3] ^= 0x40;
    EuiccChainValidation result =
        new EuiccChainValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK)
            .validate(euicc, Sgp26.der("eum.der"), SGP26_EID);
    assertInvalid(result, ValidationFailure.BAD_SIGNATURE, Element.EUICC);
  }

  @Test
  void euiccCertificateGivenAsEum_isRejected() {
    EuiccChainValidation result =
        new EuiccChainValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK)
            .validate(Sgp26.der("euicc.der"), Sgp26.der("euicc.der"), SGP26_EID);
    assertInvalid(result, ValidationFailure.UNTRUSTED_ISSUER, Element.EUM);
  }

  @Test
  void developmentChain_isValid() {
    DevelopmentCredential ci = pki.createCi(Curve.BRAINPOOL_P256R1, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");
    Eid eid = Eid.withCheckDigits("890490320000000000000000000042");
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, eid);

    EuiccChainValidation result =
        validator(ci).validate(euicc.certificate(), eum.certificate(), eid);

    assertThat(result)
        .isEqualTo(
            new EuiccChainValidation.Valid(
                eid,
                euicc.publicKey(),
                euicc.certificate().getSubjectX500Principal(),
                eum.certificate().getSubjectX500Principal()));
  }

  @Test
  void eidOutsideTheEumPrefix_isRejected() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "89049032");
    Eid foreign = Eid.withCheckDigits("890440320000000000000000000042");
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, foreign);

    assertInvalid(
        validator(ci).validate(euicc.certificate(), eum.certificate(), foreign),
        ValidationFailure.EID_OUTSIDE_EUM_RANGE,
        Element.EUICC);
  }

  @Test
  void euiccOfAnotherEumWithTheSameName_isUntrusted() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "Dev EUM", "8904");
    DevelopmentCredential twin = pki.issueEum(ci, Curve.P256, "Dev EUM", "8904");
    Eid eid = Eid.withCheckDigits("890490320000000000000000000042");
    DevelopmentCredential euicc = pki.issueEuicc(twin, Curve.P256, eid);

    assertInvalid(
        validator(ci).validate(euicc.certificate(), eum.certificate(), eid),
        ValidationFailure.UNTRUSTED_ISSUER,
        Element.EUICC);
  }

  @Test
  void eumOfAForeignCi_isUntrusted() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential foreignCi = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential eum = pki.issueEum(foreignCi, Curve.P256, "Dev EUM", "8904");
    Eid eid = Eid.withCheckDigits("890490320000000000000000000042");
    DevelopmentCredential euicc = pki.issueEuicc(eum, Curve.P256, eid);

    assertInvalid(
        validator(ci).validate(euicc.certificate(), eum.certificate(), eid),
        ValidationFailure.UNTRUSTED_ISSUER,
        Element.EUM);
  }

  @Test
  void bindingCertificateUsedAsEum_hasWrongRole() {
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential dp = pki.issueBindingCertificate(ci, Curve.P256, "Dev EUM", "x");
    Eid eid = Eid.withCheckDigits("890490320000000000000000000042");
    DevelopmentCredential euicc = pki.issueEuicc(dp, Curve.P256, eid);

    assertInvalid(
        validator(ci).validate(euicc.certificate(), dp.certificate(), eid),
        ValidationFailure.WRONG_ROLE,
        Element.EUM);
  }

  @Test
  void truncatedCertificates_areMalformed() {
    byte[] eum = Sgp26.der("eum.der");
    byte[] euicc = Sgp26.der("euicc.der");
    EuiccChainValidator validator = new EuiccChainValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK);
    assertInvalid(
        validator.validate(euicc, java.util.Arrays.copyOf(eum, 100), SGP26_EID),
        ValidationFailure.MALFORMED,
        Element.EUM);
    assertInvalid(
        validator.validate(new byte[0], eum, SGP26_EID),
        ValidationFailure.MALFORMED,
        Element.EUICC);
  }

  private static EuiccChainValidator validator(DevelopmentCredential ci) {
    return new EuiccChainValidator(TrustAnchors.of(List.of(ci.certificate())), NOW);
  }

  private static void assertInvalid(
      EuiccChainValidation result, ValidationFailure reason, Element element) {
    assertThat(result).isInstanceOf(EuiccChainValidation.Invalid.class);
    EuiccChainValidation.Invalid invalid = (EuiccChainValidation.Invalid) result;
    assertThat(invalid.reason()).as(invalid.detail()).isEqualTo(reason);
    assertThat(invalid.element()).isEqualTo(element);
  }
}
