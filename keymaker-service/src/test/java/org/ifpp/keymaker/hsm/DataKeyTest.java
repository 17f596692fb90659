package org.ifpp.keymaker.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.keymaker.profiles.PpkCodec;
import org.junit.jupiter.api.Test;

/** The software half of envelope encryption (the KEK half is in {@code PpkFormsIT}). */
class DataKeyTest {

  private final SecureRandom random = new SecureRandom();

  private static SecretBytes ppks(int seed) {
    byte[] b = new byte[48];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 31 + i);
    }
    return SecretBytes.adopt(b);
  }

  @Test
  void sealedPpks_openWithTheSameKeyAndProfile() {
    try (DataKey key = DataKey.generate(random);
        SecretBytes ppks = ppks(1)) {
      byte[] aad = PpkCodec.aad("8949440000001000001", key.id());
      WrappedSecret sealed = key.seal(ppks, aad, random);
      assertThat(sealed.ciphertext()).hasSize(48 + 16);
      assertThat(HexFormat.of().formatHex(sealed.ciphertext()))
          .doesNotContain(HexFormat.of().formatHex(ppks.unsafeView(SecretAccess.GRANTED), 0, 16));
      try (SecretBytes back = key.open(sealed, aad)) {
        assertThat(back).isEqualTo(ppks);
      }
    }
  }

  @Test
  void blobSwappedBetweenTwoProfiles_isRefused() {
    try (DataKey key = DataKey.generate(random);
        SecretBytes a = ppks(1);
        SecretBytes b = ppks(2)) {
      byte[] aadA = PpkCodec.aad("8949440000001000001", key.id());
      byte[] aadB = PpkCodec.aad("8949440000001000002", key.id());
      WrappedSecret sealedA = key.seal(a, aadA, random);
      key.seal(b, aadB, random);
      // B's row now holds A's blob: same data key, but the AAD names B.
      assertThatThrownBy(() -> key.open(sealedA, aadB)).isInstanceOf(HsmException.class);
    }
  }

  @Test
  void blobUnderAnotherDataKey_orTampered_isRefusedTheSameWay() {
    try (DataKey key = DataKey.generate(random);
        DataKey other = DataKey.generate(random);
        SecretBytes ppks = ppks(3)) {
      byte[] aad = PpkCodec.aad("8949440000001000003", key.id());
      WrappedSecret sealed = key.seal(ppks, aad, random);
      assertThatThrownBy(() -> other.open(sealed, aad))
          .isInstanceOf(HsmException.class)
          .hasMessage("cannot open the sealed secret");
      byte[] tampered = sealed.ciphertext();
      tampered[5] ^= 1;
      assertThatThrownBy(() -> key.open(new WrappedSecret(sealed.nonce(), tampered), aad))
          .isInstanceOf(HsmException.class)
          .hasMessage("cannot open the sealed secret");
      // The AAD also names the data key: the same blob claimed for another key id is refused.
      assertThatThrownBy(() -> key.open(sealed, PpkCodec.aad("8949440000001000003", other.id())))
          .isInstanceOf(HsmException.class);
    }
  }

  @Test
  void closedKey_isWiped_andRefusesToWork() {
    DataKey key = DataKey.generate(random);
    SecretBytes ppks = ppks(4);
    key.close();
    assertThatThrownBy(() -> key.seal(ppks, new byte[1], random))
        .isInstanceOf(IllegalStateException.class);
    assertThat(key.toString()).contains("REDACTED").doesNotContainPattern("[0-9a-f]{64}");
  }
}
