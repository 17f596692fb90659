package org.ifpp.crypto.pir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorReasonTest {

  @Test
  void codes_areUniqueAndSgp22sAreBelow128() {
    assertThat(Arrays.stream(ErrorReason.values()).map(ErrorReason::code).distinct().count())
        .isEqualTo(ErrorReason.values().length);
    assertThat(ErrorReason.fromCode(127)).contains(ErrorReason.INSTALL_FAILED_DUE_TO_UNKNOWN_ERROR);
    assertThat(ErrorReason.fromCode(0)).isEmpty();
    assertThat(ErrorReason.fromCode(16)).isEmpty();
  }

  @Test
  void bppCommandIds_haveTheSgp22Values() {
    assertThat(BppCommandId.fromCode(0)).contains(BppCommandId.INITIALISE_SECURE_CHANNEL);
    assertThat(BppCommandId.fromCode(5)).contains(BppCommandId.LOAD_PROFILE_ELEMENTS);
    assertThat(BppCommandId.fromCode(6)).isEmpty();
  }
}
