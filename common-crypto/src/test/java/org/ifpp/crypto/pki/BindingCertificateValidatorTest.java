package org.ifpp.crypto.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindingCertificateValidatorTest {

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private static BindingValidation validateSgp26(String file, Clock clock) {
    return new BindingCertificateValidator(Sgp26.allCis(), clock).validate(Sgp26.der(file));
  }

  @ParameterizedTest
  @CsvSource({
    "CERT_S_SM_DPpb_ECDSA_NIST.der, SK_S_SM_DPpb_ECDSA_NIST.pem, P256",
    "CERT_S_SM_DPpb_ECDSA_BRP.der, SK_S_SM_DPpb_ECDSA_BRP.pem, BRAINPOOL_P256R1"
  })
  void sgp26BindingCertificates_areValid_andYieldTheKeyThatVerifiesTheirPrivateKeysSignatures(
      String cert, String key, Curve curve) {
    BindingValidation result = validateSgp26(cert, Sgp26.VALID_CLOCK);

    assertThat(result).isInstanceOf(BindingValidation.Valid.class);
    BindingValidation.Valid valid = (BindingValidation.Valid) result;
    assertThat(valid.signingKey().curve()).isEqualTo(curve);
    assertThat(valid.subject().getName()).contains("TEST SM-DP");
    byte[] message = "smdpSign input".getBytes();
    byte[] signature = new JcaTestSigner(Sgp26.privateKey(key), curve).sign(message);
    assertThat(EcdsaVerification.verifyRaw(valid.signingKey(), message, signature)).isTrue();
  }

  @Test
  void sgp26BindingCertificate_afterNotAfter_isExpired() {
    assertThat(reason(validateSgp26("CERT_S_SM_DPpb_ECDSA_NIST.der", at("2030-03-30T08:34:46Z"))))
        .isEqualTo(ValidationFailure.EXPIRED);
    assertThat(validateSgp26("CERT_S_SM_DPpb_ECDSA_NIST.der", at("2030-03-30T08:34:44Z")).isValid())
        .isTrue();
  }

  @Test
  void sgp26BindingCertificate_beforeNotBefore_isNotYetValid() {
    assertThat(reason(validateSgp26("CERT_S_SM_DPpb_ECDSA_BRP.der", at("2020-04-01T08:34:45Z"))))
        .isEqualTo(ValidationFailure.NOT_YET_VALID);
  }

  @Test
  void certificateOfAnUnconfiguredCi_isUntrusted() {
    TrustAnchors onlyBrainpool = TrustAnchors.fromDer(Sgp26.der("CERT_CI_ECDSA_BRP.der"));
    BindingValidation result =
        new BindingCertificateValidator(onlyBrainpool, Sgp26.VALID_CLOCK)
            .validate(Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der"));
    assertThat(reason(result)).isEqualTo(ValidationFailure.UNTRUSTED_ISSUER);
  }

  @Test
  void sameKeyIdUnderAnotherCiName_isUntrusted() {
    // ci-2017 has the NIST test CI's key and key id, but another name: name AND key id must match.
    TrustAnchors only2017 = TrustAnchors.fromDer(Sgp26.der("ci-2017.der"));
    BindingValidation result =
        new BindingCertificateValidator(only2017, Sgp26.VALID_CLOCK)
            .validate(Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der"));
    assertThat(reason(result)).isEqualTo(ValidationFailure.UNTRUSTED_ISSUER);
  }

  @Test
  void tamperedSignature_isRejected() {
    byte[] der = Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der");
    der[der.length - 5] ^= 0x01; // inside the signature's s value
    assertThat(
            reason(
                new BindingCertificateValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK).validate(der)))
        .isEqualTo(ValidationFailure.BAD_SIGNATURE);
  }

  @Test
  void tamperedSubject_isRejected() {
    byte[] der = Sgp26.der("CERT_S_SM_DPpb_ECDSA_BRP.der");
    int at = indexOf(der, "ACME".getBytes());
    der[at] = 'X';
    assertThat(
            reason(
                new BindingCertificateValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK).validate(der)))
        .isEqualTo(ValidationFailure.BAD_SIGNATURE);
  }

  @Test
  void eumCertificateUsedAsBindingCertificate_hasWrongRole() {
    assertThat(reason(validateSgp26("eum.der", Sgp26.VALID_CLOCK)))
        .isEqualTo(ValidationFailure.WRONG_ROLE);
  }

  @Test
  void ciCertificateUsedAsBindingCertificate_hasWrongRole() {
    assertThat(reason(validateSgp26("CERT_CI_ECDSA_NIST.der", Sgp26.VALID_CLOCK)))
        .isEqualTo(ValidationFailure.WRONG_ROLE);
  }

  @Test
  void garbageAndTruncatedInput_areMalformed() {
    BindingCertificateValidator validator =
        new BindingCertificateValidator(Sgp26.allCis(), Sgp26.VALID_CLOCK);
    byte[] der = Sgp26.der("CERT_S_SM_DPpb_ECDSA_NIST.der");
    assertThat(reason(validator.validate(new byte[] {0x30, 0x03, 0x02, 0x01})))
        .isEqualTo(ValidationFailure.MALFORMED);
    assertThat(reason(validator.validate(java.util.Arrays.copyOf(der, der.length - 1))))
        .isEqualTo(ValidationFailure.MALFORMED);
    assertThat(reason(validator.validate((byte[]) null))).isEqualTo(ValidationFailure.MALFORMED);
    assertThat(reason(validator.validate((X509Certificate) null)))
        .isEqualTo(ValidationFailure.MALFORMED);
  }

  @Test
  void developmentBindingCertificates_validateOnBothCurves() {
    DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC());
    for (Curve curve : Curve.values()) {
      DevelopmentCredential ci = pki.createCi(curve, "Dev CI " + curve);
      DevelopmentCredential dp = pki.issueBindingCertificate(ci, curve, "IFPP", "Key Maker");
      BindingCertificateValidator validator =
          new BindingCertificateValidator(
              TrustAnchors.of(java.util.List.of(ci.certificate())), Clock.systemUTC());

      assertThat(validator.signingKeyOf(dp.certificate())).contains(dp.publicKey());
      assertThat(validator.asKeyResolver().apply(ci.certificate())).isEmpty();
    }
  }

  @Test
  void signingKeyOf_isEmptyForAnInvalidCertificate() {
    DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC());
    DevelopmentCredential ci = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential other = pki.createCi(Curve.P256, "Dev CI");
    DevelopmentCredential dp = pki.issueBindingCertificate(other, Curve.P256, "IFPP", "Key Maker");
    BindingCertificateValidator validator =
        new BindingCertificateValidator(
            TrustAnchors.of(java.util.List.of(ci.certificate())), Clock.systemUTC());

    // same issuer name, different key: the key id does not match
    Optional<EcPublicKey> key = validator.signingKeyOf(dp.certificate());
    assertThat(key).isEmpty();
    assertThat(reason(validator.validate(dp.certificate())))
        .isEqualTo(ValidationFailure.UNTRUSTED_ISSUER);
  }

  private static ValidationFailure reason(BindingValidation result) {
    assertThat(result).isInstanceOf(BindingValidation.Invalid.class);
    return ((BindingValidation.Invalid) result).reason();
  }

  static int indexOf(byte[] haystack, byte[] needle) {
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
