package org.ifpp.crypto.ec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import javax.crypto.KeyAgreement;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EckaTest {

  private final SecureRandom random = new SecureRandom();

  @ParameterizedTest
  @EnumSource(Curve.class)
  void bothSidesAgree_andMatchJcaEcdh(Curve curve) throws Exception {
    try (OneTimeKeyPair a = OneTimeKeyPair.generate(curve, random);
        OneTimeKeyPair b = OneTimeKeyPair.generate(curve, random);
        SecretBytes zab = Ecka.sharedSecret(a, b.publicKey());
        SecretBytes zba = Ecka.sharedSecret(b, a.publicKey());
        SecretBytes scalar = a.exportPrivateScalar(SecretAccess.GRANTED)) {
      assertThat(zab.size()).isEqualTo(32);
      assertThat(zab).isEqualTo(zba);
      // Cross-check with BouncyCastle's JCA ECDH.
      var spec = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec(curve.jcaName());
      var priv =
          java.security.KeyFactory.getInstance("EC", CryptoProviders.bouncyCastle())
              .generatePrivate(
                  new org.bouncycastle.jce.spec.ECPrivateKeySpec(
                      new java.math.BigInteger(1, scalar.toByteArray(SecretAccess.GRANTED)), spec));
      KeyAgreement ka = KeyAgreement.getInstance("ECDH", CryptoProviders.bouncyCastle());
      ka.init(priv);
      ka.doPhase(b.publicKey().toJca(), true);
      assertThat(ka.generateSecret()).isEqualTo(zab.toByteArray(SecretAccess.GRANTED));
    }
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void fromPrivateScalar_rebuildsTheSamePublicKey(Curve curve) {
    try (OneTimeKeyPair a = OneTimeKeyPair.generate(curve, random);
        SecretBytes d = a.exportPrivateScalar(SecretAccess.GRANTED);
        OneTimeKeyPair b = OneTimeKeyPair.fromPrivateScalar(curve, d)) {
      assertThat(b.publicKey()).isEqualTo(a.publicKey());
    }
  }

  @ParameterizedTest
  @EnumSource(Curve.class)
  void outOfRangeScalars_areRefused(Curve curve) {
    assertThatThrownBy(
            () -> OneTimeKeyPair.fromPrivateScalar(curve, SecretBytes.adopt(new byte[32])))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] ff = new byte[32];
    java.util.Arrays.fill(ff, (byte) 0xFF);
    assertThatThrownBy(() -> OneTimeKeyPair.fromPrivateScalar(curve, SecretBytes.adopt(ff)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> OneTimeKeyPair.fromPrivateScalar(curve, SecretBytes.adopt(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void mixedCurves_andDestroyedKeys_areRefused() {
    OneTimeKeyPair p = OneTimeKeyPair.generate(Curve.P256, random);
    OneTimeKeyPair b = OneTimeKeyPair.generate(Curve.BRAINPOOL_P256R1, random);
    assertThatThrownBy(() -> Ecka.sharedSecret(p, b.publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
    OneTimeKeyPair q = OneTimeKeyPair.generate(Curve.P256, random);
    p.close();
    assertThatThrownBy(() -> Ecka.sharedSecret(p, q.publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
