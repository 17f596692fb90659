package org.ifpp.euicc.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GroupSyncTest {

  @Test
  void everyCaller_returnsOnlyAfterASyncThatStartedAfterItCalled_andConcurrentCallersShare()
      throws Exception {
    AtomicLong clock = new AtomicLong();
    AtomicLong lastSyncStart = new AtomicLong(-1);
    AtomicLong lastSyncEnd = new AtomicLong(-1);
    AtomicInteger syncs = new AtomicInteger();
    GroupSync group =
        new GroupSync(
            () -> {
              long start = clock.incrementAndGet();
              syncs.incrementAndGet();
              try {
                Thread.sleep(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              lastSyncStart.set(start);
              lastSyncEnd.set(clock.incrementAndGet());
            });
    int threads = 8;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    long called = clock.incrementAndGet();
                    group.sync();
                    // The last completed sync started after this call.
                    assertThat(lastSyncStart.get()).isGreaterThan(called);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(syncs.get()).isLessThan(threads * perThread);
  }

  @Test
  void aFailedSync_isRethrown_andTheNextCallerSyncsAgain() {
    AtomicInteger calls = new AtomicInteger();
    GroupSync group =
        new GroupSync(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("disk gone");
              }
            });
    assertThatThrownBy(group::sync).hasMessage("disk gone");
    group.sync();
    assertThat(calls).hasValue(2);
  }
}
