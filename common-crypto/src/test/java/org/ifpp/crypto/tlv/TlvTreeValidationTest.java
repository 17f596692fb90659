package org.ifpp.crypto.tlv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link TlvReader#readTree} validates the tree without building child lists; it must accept and
 * refuse exactly what the list-based walk ({@link Tlv#children()} on every constructed object,
 * level by level) accepts and refuses, with the same error code and offset.
 */
class TlvTreeValidationTest {

  private static final Path PROFILE =
      Path.of(System.getProperty("ifpp.test-data.dir"), "profiles/TS48V1-A-UNIQUE.der");

  /** The former walk: every constructed object's children as a list, then each child's. */
  private static void referenceValidate(Tlv t) {
    if (t.isConstructed()) {
      for (Tlv c : t.children()) {
        referenceValidate(c);
      }
    }
  }

  private static String outcome(Runnable r) {
    try {
      r.run();
      return "ok";
    } catch (TlvException e) {
      return e.code() + "@" + e.offset();
    }
  }

  private static void assertSameOutcome(byte[] input, TlvLimits limits) {
    String reference =
        outcome(
            () -> {
              for (Tlv t : TlvReader.readAll(input, limits)) {
                referenceValidate(t);
              }
            });
    assertThat(outcome(() -> TlvReader.readTree(input, limits))).isEqualTo(reference);
    assertThat(outcome(() -> TlvReader.readTreeInPlace(input.clone(), limits)))
        .isEqualTo(reference);
  }

  @Property(tries = 2000)
  void randomBytes_sameOutcomeAsTheListWalk(
      @ForAll @Size(max = 300) byte[] input, @ForAll @IntRange(min = 1, max = 6) int maxDepth) {
    assertSameOutcome(input, new TlvLimits(1 << 16, maxDepth, 1 << 15));
  }

  @Test
  void aRealProfile_withEveryKindOfDamage_sameOutcomeAsTheListWalk() throws IOException {
    byte[] profile = Files.readAllBytes(PROFILE);
    assertSameOutcome(profile, TlvLimits.DEFAULT);
    assertThat(TlvReader.readTree(profile, TlvLimits.DEFAULT)).isNotEmpty();
    Random random = new Random(41);
    int refused = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] damaged = profile.clone();
      int at = random.nextInt(damaged.length);
      damaged[at] = (byte) random.nextInt(256);
      if (random.nextBoolean()) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      int maxDepth = 2 + random.nextInt(6);
      TlvLimits limits = new TlvLimits(1 << 22, maxDepth, 1 << 22);
      assertSameOutcome(damaged, limits);
      if (!outcome(() -> TlvReader.readTree(damaged, limits)).equals("ok")) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100); // the damage did reach the validation
  }

  @Test
  void tooDeep_isReportedAtTheSameObject() {
    Tlv deep =
        Tlv.constructed(
            0xA1, Tlv.constructed(0xA2, Tlv.constructed(0xA3, Tlv.of(0x80, new byte[] {1}))));
    List<Tlv> ok = TlvReader.readTree(deep.encoded(), new TlvLimits(1 << 10, 4, 1 << 10));
    assertThat(ok).hasSize(1);
    assertSameOutcome(deep.encoded(), new TlvLimits(1 << 10, 3, 1 << 10));
    assertThat(
            outcome(() -> TlvReader.readTree(deep.encoded(), new TlvLimits(1 << 10, 3, 1 << 10))))
        .startsWith("TOO_DEEP");
  }
}
