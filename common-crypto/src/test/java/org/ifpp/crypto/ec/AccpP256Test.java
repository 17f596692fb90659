package org.ifpp.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.security.SecureRandom;
import org.ifpp.crypto.provider.AccpSupport;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

/** The native P-256 path gives exactly BouncyCastle's results. */
class AccpP256Test {

  private final SecureRandom random = new SecureRandom();

  @Test
  void accpIsOnTheTestClasspath_andHealthy() {
    assumeThat(System.getProperty("ifpp.crypto.accp")).isNotEqualTo("false");
    assertThat(AccpSupport.provider()).isPresent();
    assertThat(AccpP256.available()).isTrue();
  }

  @Test
  void accpKeysAndEcdh_matchBouncyCastle() {
    assumeThat(AccpP256.available()).isTrue();
    for (int i = 0; i < 50; i++) {
      try (OneTimeKeyPair a = OneTimeKeyPair.generate(Curve.P256, random);
          OneTimeKeyPair b = OneTimeKeyPair.generate(Curve.P256, random);
          SecretBytes da = a.exportPrivateScalar(SecretAccess.GRANTED);
          OneTimeKeyPair aAgain = OneTimeKeyPair.fromPrivateScalar(Curve.P256, da);
          SecretBytes native1 = Ecka.sharedSecret(a, b.publicKey());
          SecretBytes native2 = Ecka.sharedSecret(aAgain, b.publicKey());
          SecretBytes bc = Ecka.sharedSecretBouncyCastle(a, b.publicKey());
          SecretBytes bcReverse = Ecka.sharedSecretBouncyCastle(b, a.publicKey())) {
        assertThat(aAgain.publicKey()).isEqualTo(a.publicKey());
        assertThat(native1).isEqualTo(bc).isEqualTo(native2).isEqualTo(bcReverse);
        assertThat(native1.size()).isEqualTo(32);
      }
    }
  }

  @Test
  void closingAnAccpKeyPair_destroysIt() {
    assumeThat(AccpP256.available()).isTrue();
    OneTimeKeyPair k = OneTimeKeyPair.generate(Curve.P256, random);
    k.close();
    assertThat(k.isDestroyed()).isTrue();
  }
}
