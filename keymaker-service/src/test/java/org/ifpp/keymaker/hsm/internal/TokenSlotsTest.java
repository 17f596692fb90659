package org.ifpp.keymaker.hsm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenSlotsTest {

  static final String SHOW_SLOTS =
      """
      Available slots:
      Slot 1398754105
          Slot info:
              Description:      SoftHSM slot ID 0x535f4b39
          Token info:
              Initialized:      yes
              Label:            keymaker-it                     \s
      Slot 77
          Token info:
              Label:            other                           \s
      Slot 1
          Token info:
              Initialized:      no
              Label:                                            \s
      """;

  @Test
  void showSlotsOutput_isSearchedByExactLabel() {
    assertThat(TokenSlots.parseShowSlots(SHOW_SLOTS, "keymaker-it")).containsExactly(1398754105L);
    assertThat(TokenSlots.parseShowSlots(SHOW_SLOTS, "other")).containsExactly(77L);
    assertThat(TokenSlots.parseShowSlots(SHOW_SLOTS, "keymaker")).isEmpty();
  }
}
