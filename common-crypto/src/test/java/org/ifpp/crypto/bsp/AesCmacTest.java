package org.ifpp.crypto.bsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ifpp.crypto.testing.Vectors.hex;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.ifpp.crypto.secret.SecretBytes;
import org.junit.jupiter.api.Test;

class AesCmacTest {

  /** RFC 4493 section 4 test vectors. */
  @Test
  void rfc4493Vectors() {
    AesCmac cmac = new AesCmac(SecretBytes.adopt(hex("2b7e151628aed2a6abf7158809cf4f3c")));
    assertThat(cmac.mac(new byte[0])).isEqualTo(hex("bb1d6929e95937287fa37d129b756746"));
    assertThat(cmac.mac(hex("6bc1bee22e409f96e93d7e117393172a")))
        .isEqualTo(hex("070a16b46b4d4144f79bdd9dd04a287c"));
    assertThat(
            cmac.mac(
                hex(
                    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                        + "30c81c46a35ce411")))
        .isEqualTo(hex("dfa66747de9ae63030ca32611497c827"));
  }

  @Property(tries = 500)
  void matchesBouncyCastleCmac(
      @ForAll @Size(value = 16) byte[] key, @ForAll @Size(max = 2100) byte[] message) {
    CMac bc = new CMac(AESEngine.newInstance());
    bc.init(new KeyParameter(key));
    bc.update(message, 0, message.length);
    byte[] expected = new byte[16];
    bc.doFinal(expected, 0);
    assertThat(new AesCmac(SecretBytes.copyOf(key)).mac(message)).isEqualTo(expected);
  }
}
