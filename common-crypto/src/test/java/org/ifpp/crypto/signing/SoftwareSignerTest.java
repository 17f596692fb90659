package org.ifpp.crypto.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.testing.TestIdentities;
import org.ifpp.crypto.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SoftwareSignerTest {

  private final SecureRandom random = new SecureRandom();
  private final byte[] message = "smdpSign input".getBytes();

  @ParameterizedTest
  @EnumSource(Curve.class)
  void sgp26PemKey_signsVerifiablyUnderItsCertificate(Curve curve) {
    SoftwareSigner signer = TestIdentities.dpSigner(curve);
    EcPublicKey pub = EcPublicKey.fromJca(TestIdentities.dpBinding(curve).getPublicKey());
    assertThat(signer.curve()).isEqualTo(curve);
    byte[] sig = signer.sign(message);
    assertThat(sig).hasSize(64);
    assertThat(EcdsaVerification.verifyRaw(pub, message, sig)).isTrue();
    assertThat(signer.sign(message)).isEqualTo(sig);
    assertThat(EcdsaVerification.verifyRaw(pub, "other".getBytes(), sig)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void randomisedSigner_differsEachTime_butVerifies(Curve curve) {
    try (OneTimeKeyPair k = OneTimeKeyPair.generate(curve, random);
        SecretBytes d = k.exportPrivateScalar(SecretAccess.GRANTED)) {
      SoftwareSigner signer = SoftwareSigner.fromScalar(curve, d, random);
      byte[] a = signer.sign(message);
      byte[] b = signer.sign(message);
      assertThat(a).isNotEqualTo(b);
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), message, a)).isTrue();
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), message, b)).isTrue();
      SoftwareSigner det = SoftwareSigner.deterministicFromScalar(curve, d);
      assertThat(det.sign(message)).isEqualTo(det.sign(message));
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), message, det.sign(message))).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void pkcs8Pem_isAccepted_andToStringIsRedacted() throws Exception {
    var kpg = java.security.KeyPairGenerator.getInstance("EC");
    kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var kp = kpg.generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    SoftwareSigner signer = SoftwareSigner.deterministicFromPem(pem);
    assertThat(
            EcdsaVerification.verifyRaw(
                EcPublicKey.fromJca(kp.getPublic()), message, signer.sign(message)))
        .isTrue();
    assertThat(signer.toString()).contains("REDACTED").doesNotContain("BEGIN");
    assertThatThrownBy(() -> SoftwareSigner.deterministicFromPem("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            SoftwareSigner.deterministicFromPem(Vectors.readString("sgp26-certs/euicc-key.pem"))
                .curve())
        .isEqualTo(Curve.P256);
  }
}
