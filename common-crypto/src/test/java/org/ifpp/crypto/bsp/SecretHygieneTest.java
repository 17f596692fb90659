package org.ifpp.crypto.bsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

/** Secret types print no key bytes, and closing them wipes the bytes. */
class SecretHygieneTest {

  private final SecureRandom random = new SecureRandom();

  private static void assertNoHexOf(String text, byte[] secret) {
    String hex = HexFormat.of().formatHex(secret);
    assertThat(text.toLowerCase()).doesNotContain(hex.substring(0, 8)).contains("redacted");
  }

  @Test
  void sessionKeys_areRedacted_andWipedOnClose() {
    byte[] mcv = new byte[16];
    random.nextBytes(mcv);
    SecretBytes m = SecretBytes.copyOf(mcv);
    SessionKeys keys = SessionKeys.of(m, SecretBytes.copyOf(mcv), SecretBytes.copyOf(mcv));
    assertNoHexOf(keys.toString(), mcv);
    assertNoHexOf(keys.sEnc().toString(), mcv);
    keys.close();
    assertThat(keys.isWiped()).isTrue();
    assertThatThrownBy(() -> m.toByteArray(SecretAccess.GRANTED))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void profileProtectionKeys_areRandom_redacted_andWiped() {
    ProfileProtectionKeys a = ProfileProtectionKeys.generate(random);
    ProfileProtectionKeys b = ProfileProtectionKeys.generate(random);
    byte[] enc = a.ppkEnc().toByteArray(SecretAccess.GRANTED);
    assertThat(enc).isNotEqualTo(b.ppkEnc().toByteArray(SecretAccess.GRANTED));
    assertThat(a.ppkEnc()).isNotEqualTo(a.ppkMac());
    assertNoHexOf(a.toString(), enc);
    a.close();
    assertThat(a.isWiped()).isTrue();
    assertThat(a.ppkEnc().isWiped()).isTrue();
  }

  @Test
  void oneTimeKeyPair_showsOnlyThePublicKey_andIsDestroyedOnClose() {
    OneTimeKeyPair k = OneTimeKeyPair.generate(Curve.P256, random);
    byte[] d;
    try (SecretBytes exported = k.exportPrivateScalar(SecretAccess.GRANTED)) {
      d = exported.toByteArray(SecretAccess.GRANTED);
    }
    assertNoHexOf(k.toString(), d);
    assertThat(k.toString()).contains(k.publicKey().toHex().substring(0, 20));
    k.close();
    assertThat(k.isDestroyed()).isTrue();
    assertThatThrownBy(() -> k.exportPrivateScalar(SecretAccess.GRANTED))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void bspChannel_isRedacted_andUnusableAfterClose() {
    byte[] k = new byte[16];
    random.nextBytes(k);
    SessionKeys keys =
        SessionKeys.of(SecretBytes.copyOf(k), SecretBytes.copyOf(k), SecretBytes.copyOf(k));
    BspChannel ch = BspChannel.start(keys);
    assertNoHexOf(ch.toString(), k);
    ch.close();
    assertThatThrownBy(() -> ch.encryptAndMac(0x86, new byte[1]))
        .isInstanceOf(IllegalStateException.class);
  }
}
