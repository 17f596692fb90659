package org.ifpp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.ifpp.crypto.ids.Iccid;
import org.junit.jupiter.api.Test;

class ProfileCopiesTest {

  private static final Path PROFILES =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles");

  @Test
  void publishedProfiles_haveTheirIccidInTheHeader() throws Exception {
    List<byte[]> templates = ProfileCopies.templates(PROFILES);

    assertThat(templates).hasSize(3);
    // TS48V1-A-UNIQUE.der: header bytes 89 49 44 99 99 99 99 90 02 3F at offset 44.
    assertThat(ProfileCopies.iccidOffset(templates.get(0))).isEqualTo(44);
    assertThat(ProfileCopies.iccidOf(templates.get(0)).value()).isEqualTo("8949449999999990023");
  }

  @Test
  void copies_haveDistinctIccids_andDifferOnlyInTheIccidBytes() throws Exception {
    List<byte[]> templates = ProfileCopies.templates(PROFILES);

    List<ProfileCopies.Profile> copies = ProfileCopies.generate(templates, 7, "8949449999", 1);

    assertThat(copies).extracting(p -> p.iccid().value()).doesNotHaveDuplicates();
    for (int i = 0; i < copies.size(); i++) {
      byte[] template = templates.get(i % 3);
      byte[] copy = copies.get(i).der();
      assertThat(copy).hasSameSizeAs(template);
      assertThat(ProfileCopies.iccidOf(copy)).isEqualTo(copies.get(i).iccid());
      int at = ProfileCopies.iccidOffset(template);
      for (int b = 0; b < copy.length; b++) {
        if (b < at || b >= at + 10) {
          assertThat(copy[b]).as("byte %d", b).isEqualTo(template[b]);
        }
      }
    }
    assertThat(copies.get(0).iccid().value()).isEqualTo("8949449999000000010");
  }

  @Test
  void garbage_isRefused() {
    assertThatThrownBy(() -> ProfileCopies.iccidOffset(new byte[] {0x30, 0x02, 0x01, 0x00}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ProfileCopies.withIccid(
                    new byte[] {(byte) 0xA0, 0x03, (byte) 0x80, 1, 2},
                    new Iccid("894944999900000001")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void luhnDigit_matchesAKnownIccid() {
    // 8944 5000 0000 0000 00X: Luhn over 894450000000000000 gives 1... check against a computed
    // one.
    assertThat(ProfileCopies.luhn("7992739871")).isEqualTo(3);
  }
}
