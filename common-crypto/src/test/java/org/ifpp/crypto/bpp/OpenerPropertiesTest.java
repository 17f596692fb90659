package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;

/** The opener never throws and never installs from random or mangled input. */
class OpenerPropertiesTest {

  private static final TestEuicc EUICC = BoundProfilePackageOpenerTest.euicc();
  private static final byte[] GOOD;

  static {
    try {
      GOOD = BoundProfilePackageOpenerTest.bind(EUICC, Profiles.tiny("8900000000000000001"), true);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 300)
  void randomBytes_areRejected_neverThrown(@ForAll @Size(max = 600) byte[] input) {
    assertThat(BoundProfilePackageOpener.open(input, null, EUICC))
        .isInstanceOf(OpeningResult.Rejected.class);
    OpeningResult r = BoundProfilePackageOpenerTest.open(input, EUICC);
    assertThat(r).isInstanceOf(OpeningResult.Rejected.class);
  }

  @Property(tries = 300)
  void splicedGoodPackage_isRejected(
      @ForAll @IntRange(min = 0, max = 2000) int at,
      @ForAll @Size(min = 1, max = 40) byte[] junk,
      @ForAll boolean replace) {
    int pos = at % GOOD.length;
    byte[] t;
    if (replace) {
      t = GOOD.clone();
      System.arraycopy(junk, 0, t, pos, Math.min(junk.length, t.length - pos));
      if (java.util.Arrays.equals(t, GOOD)) {
        return;
      }
    } else {
      t = new byte[GOOD.length + junk.length];
      System.arraycopy(GOOD, 0, t, 0, pos);
      System.arraycopy(junk, 0, t, pos, junk.length);
      System.arraycopy(GOOD, pos, t, pos + junk.length, GOOD.length - pos);
    }
    EUICC.reset();
    assertThat(BoundProfilePackageOpenerTest.open(t, EUICC))
        .isInstanceOf(OpeningResult.Rejected.class);
  }
}
