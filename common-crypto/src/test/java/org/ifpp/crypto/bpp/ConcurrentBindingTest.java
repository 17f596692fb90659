package org.ifpp.crypto.bpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.testing.Profiles;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.crypto.testing.TestIdentities;
import org.junit.jupiter.api.Test;

/** The engine's per-thread engines and shared caches hold up under concurrent bindings. */
class ConcurrentBindingTest {

  @Test
  void concurrentBindings_allOpenOnTheirTargets() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        boolean ppk = i % 2 == 0;
        results.add(
            pool.submit(
                () -> {
                  TestEuicc e = BoundProfilePackageOpenerTest.euicc();
                  byte[] bpp =
                      BoundProfilePackageOpenerTest.bind(
                          e, Profiles.tiny("8900000000000000001"), ppk);
                  return BoundProfilePackageOpener.open(
                          bpp, TestIdentities.dpBinding(Curve.P256), e)
                      instanceof OpeningResult.Installed;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
