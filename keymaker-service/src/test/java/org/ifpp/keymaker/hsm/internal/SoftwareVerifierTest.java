package org.ifpp.keymaker.hsm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.junit.jupiter.api.Test;

/** The check every HSM signature passes before it leaves the Key Maker (SoftHSM #901). */
class SoftwareVerifierTest {

  @Test
  void validSignatures_pass_andAnyFlippedBitFails() {
    byte[] scalar = randomScalar();
    SoftwareSigner signer =
        SoftwareSigner.fromScalar(Curve.P256, SecretBytes.copyOf(scalar), new SecureRandom());
    SoftwareVerifier verifier =
        new SoftwareVerifier(
            OneTimeKeyPair.fromPrivateScalar(Curve.P256, SecretBytes.copyOf(scalar)).publicKey());
    for (int i = 0; i < 200; i++) {
      byte[] m = ("message " + i).getBytes(StandardCharsets.US_ASCII);
      byte[] sig = signer.sign(m);
      assertThat(verifier.verify(m, sig)).isTrue();
      byte[] bad = sig.clone();
      bad[i % 64] ^= (byte) (1 << (i % 8));
      assertThat(verifier.verify(m, bad)).isFalse();
    }
  }

  @Test
  void brainpoolSignatures_areVerifiedWithBouncyCastle_andAnyFlippedBitFails() {
    byte[] scalar = randomScalar();
    Curve bp = Curve.BRAINPOOL_P256R1;
    SoftwareSigner signer =
        SoftwareSigner.fromScalar(bp, SecretBytes.copyOf(scalar), new SecureRandom());
    SoftwareVerifier verifier =
        new SoftwareVerifier(
            OneTimeKeyPair.fromPrivateScalar(bp, SecretBytes.copyOf(scalar)).publicKey());
    // SunEC has no brainpool and ACCP neither: only BouncyCastle can check these signatures.
    assertThat(verifier.providerName()).isEqualTo("BC");
    for (int i = 0; i < 100; i++) {
      byte[] m = ("message " + i).getBytes(StandardCharsets.US_ASCII);
      byte[] sig = signer.sign(m);
      assertThat(verifier.verify(m, sig)).isTrue();
      byte[] bad = sig.clone();
      bad[i % 64] ^= (byte) (1 << (i % 8));
      assertThat(verifier.verify(m, bad)).isFalse();
    }
  }

  @Test
  void malformedSignatures_areRejected_notThrown() {
    byte[] scalar = randomScalar();
    SoftwareSigner signer =
        SoftwareSigner.fromScalar(Curve.P256, SecretBytes.copyOf(scalar), new SecureRandom());
    SoftwareVerifier verifier =
        new SoftwareVerifier(
            OneTimeKeyPair.fromPrivateScalar(Curve.P256, SecretBytes.copyOf(scalar)).publicKey());
    assertThat(verifier.verify(new byte[] {1}, null)).isFalse();
    assertThat(verifier.verify(new byte[] {1}, new byte[63])).isFalse();
    assertThat(verifier.verify(new byte[] {1}, new byte[64])).isFalse();
  }

  private static byte[] randomScalar() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    s[0] &= 0x7F; // below the group order
    return s;
  }
}
