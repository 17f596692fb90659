package org.ifpp.keymaker.hsm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.hsm.Pkcs11Token;
import org.ifpp.keymaker.testing.TestHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slot lookup by label through the PKCS#11 wrapper library, against the real SoftHSM token. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class TokenSlotsIT {

  static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";

  @Test
  void tokenLabel_isFoundByExactLabel_evenAfterSunPkcs11InitialisedTheModule() {
    String label = TestHsm.properties().tokenLabel();
    long before = TokenSlots.slotOf(LIBRARY, label);
    // SunPKCS11 now owns the module; a second lookup must neither fail nor finalise it.
    Pkcs11Token token = Pkcs11Token.open(TestHsm.properties());
    assertThat(TokenSlots.slotOf(LIBRARY, label)).isEqualTo(before);
    assertThat(token.contains("no-such-key")).isFalse();
  }

  @Test
  void unknownLabel_isRefused() {
    assertThatThrownBy(() -> TokenSlots.slotOf(LIBRARY, "no-such-token"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-token");
    assertThatThrownBy(() -> TokenSlots.slotOf(LIBRARY, "keymaker-i"))
        .isInstanceOf(IllegalStateException.class);
  }
}
