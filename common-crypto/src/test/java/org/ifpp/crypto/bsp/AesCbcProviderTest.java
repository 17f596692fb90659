package org.ifpp.crypto.bsp;

import static org.assertj.core.api.Assertions.assertThat;

import org.ifpp.crypto.provider.CryptoProviders;
import org.junit.jupiter.api.Test;

/**
 * BSP's AES-CBC runs on ACCP where it loads and on SunJCE where it is switched off: this module's
 * tests run once each way (the {@code without-accp} execution), and the known answers hold on both.
 */
class AesCbcProviderTest {

  @Test
  void bspCiphersComeFromAccpUnlessItIsSwitchedOff() {
    String expected =
        "false".equals(System.getProperty("ifpp.crypto.accp"))
            ? "SunJCE"
            : "AmazonCorrettoCryptoProvider";
    assertThat(CryptoProviders.aesCbcProvider().getName()).isEqualTo(expected);
    assertThat(CryptoProviders.aesCbc().getProvider().getName()).isEqualTo(expected);
    assertThat(CryptoProviders.aesCbcForMac().getProvider().getName()).isEqualTo(expected);
  }
}
