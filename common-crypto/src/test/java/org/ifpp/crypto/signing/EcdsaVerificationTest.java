package org.ifpp.crypto.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcDomains;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

/** The native P-256 verification (ACCP, when present) answers exactly as BouncyCastle does. */
class EcdsaVerificationTest {

  private final SecureRandom random = new SecureRandom();

  @Test
  void validAndTamperedSignatures_getBouncyCastlesAnswer() {
    for (int i = 0; i < 50; i++) {
      byte[] message = new byte[1 + random.nextInt(300)];
      random.nextBytes(message);
      try (OneTimeKeyPair k = OneTimeKeyPair.generate(Curve.P256, random);
          OneTimeKeyPair other = OneTimeKeyPair.generate(Curve.P256, random);
          SecretBytes d = k.exportPrivateScalar(SecretAccess.GRANTED)) {
        byte[] sig = SoftwareSigner.fromScalar(Curve.P256, d, random).sign(message);
        byte[] flippedSig = sig.clone();
        flippedSig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        byte[] flippedMsg = message.clone();
        flippedMsg[random.nextInt(message.length)] ^= 1;

        assertThat(EcdsaVerification.verifyRaw(k.publicKey(), message, sig)).isTrue();
        assertThat(bouncyCastle(k, message, sig)).isTrue();
        assertThat(EcdsaVerification.verifyRaw(k.publicKey(), message, flippedSig))
            .isEqualTo(bouncyCastle(k, message, flippedSig))
            .isFalse();
        assertThat(EcdsaVerification.verifyRaw(k.publicKey(), flippedMsg, sig)).isFalse();
        assertThat(EcdsaVerification.verifyRaw(other.publicKey(), message, sig)).isFalse();
      }
    }
  }

  @Test
  void outOfRangeOrMalformedSignatures_areRefused() {
    try (OneTimeKeyPair k = OneTimeKeyPair.generate(Curve.P256, random)) {
      byte[] msg = "m".getBytes();
      byte[] n = toFixed(EcDomains.of(Curve.P256).getN());
      byte[] sig = new byte[64];
      System.arraycopy(n, 0, sig, 0, 32);
      sig[63] = 1;
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), msg, sig)).isFalse();
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), msg, new byte[64])).isFalse();
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), msg, new byte[63])).isFalse();
      assertThat(EcdsaVerification.verifyRaw(k.publicKey(), msg, null)).isFalse();
    }
  }

  private static boolean bouncyCastle(OneTimeKeyPair k, byte[] message, byte[] sig) {
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    var domain = EcDomains.of(Curve.P256);
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(domain.getN()) >= 0
        || s.compareTo(domain.getN()) >= 0) {
      return false;
    }
    return EcdsaVerification.verifyBouncyCastle(domain, k.publicKey(), message, r, s);
  }

  private static byte[] toFixed(BigInteger v) {
    byte[] b = v.toByteArray();
    return Arrays.copyOfRange(b, b.length - 32, b.length);
  }
}
