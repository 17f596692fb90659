package org.ifpp.crypto.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EidTest {

  @Test
  void sgp26TestEid_isValid() {
    Eid eid = Eid.of("89049032123451234512345678901235");
    assertThat(eid.toBytes()).hasSize(16);
    assertThat(Eid.fromBytes(eid.toBytes())).isEqualTo(eid);
  }

  @Test
  void wrongCheckDigits_areRejected() {
    assertThatThrownBy(() -> Eid.of("89049032123451234512345678901335"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("check digits");
  }

  @Test
  void nonDigits_areRejected() {
    assertThatThrownBy(() -> Eid.of("8904903212345123451234567890123X"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Eid.of(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withCheckDigits_computesValidEid() {
    assertThat(Eid.withCheckDigits("890490321234512345123456789012").value())
        .isEqualTo("89049032123451234512345678901235");
  }

  @Test
  void tryParse_isEmptyForWhatIsNoEid() {
    assertThat(Eid.tryParse("89049032123451234512345678901235"))
        .contains(Eid.of("89049032123451234512345678901235"));
    assertThat(Eid.tryParse("89049032123451234512345678901335")).isEmpty(); // check digits
    assertThat(Eid.tryParse("notes")).isEmpty();
    assertThat(Eid.tryParse(" 89049032123451234512345678901235")).isEmpty(); // not stripped
    assertThat(Eid.tryParse(null)).isEmpty();
  }
}
