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
    assertSignaturesPass_andFlippedBitsFail(new Pair(Curve.P256), 200);
  }

  @Test
  void brainpoolSignatures_areVerifiedWithBouncyCastle_andAnyFlippedBitFails() {
    Pair bp = new Pair(Curve.BRAINPOOL_P256R1);
    // SunEC has no brainpool and ACCP neither: only BouncyCastle can check these signatures.
    assertThat(bp.verifier.providerName()).isEqualTo("BC");
    assertSignaturesPass_andFlippedBitsFail(bp, 100);
  }

  @Test
  void malformedSignatures_areRejected_notThrown() {
    SoftwareVerifier verifier = new Pair(Curve.P256).verifier;
    assertThat(verifier.verify(new byte[] {1}, null)).isFalse();
    assertThat(verifier.verify(new byte[] {1}, new byte[63])).isFalse();
    assertThat(verifier.verify(new byte[] {1}, new byte[64])).isFalse();
  }

  /** A software signer and the verifier of its public key, from one random scalar. */
  private static final class Pair {
    final SoftwareSigner signer;
    final SoftwareVerifier verifier;

    Pair(Curve curve) {
      byte[] scalar = randomScalar();
      signer = SoftwareSigner.fromScalar(curve, SecretBytes.copyOf(scalar), new SecureRandom());
      verifier =
          new SoftwareVerifier(
              OneTimeKeyPair.fromPrivateScalar(curve, SecretBytes.copyOf(scalar)).publicKey());
    }
  }

  private static void assertSignaturesPass_andFlippedBitsFail(Pair pair, int count) {
    for (int i = 0; i < count; i++) {
      byte[] m = ("message " + i).getBytes(StandardCharsets.US_ASCII);
      byte[] sig = pair.signer.sign(m);
      assertThat(pair.verifier.verify(m, sig)).isTrue();
      byte[] bad = sig.clone();
      bad[i % 64] ^= (byte) (1 << (i % 8));
      assertThat(pair.verifier.verify(m, bad)).isFalse();
    }
  }

  private static byte[] randomScalar() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    s[0] &= 0x7F; // below the group order
    return s;
  }
}
