package org.ifpp.euicc.store;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of a directory sync: every caller returns only after a sync that <em>started after
 * it called</em> has completed, but concurrent callers share one sync instead of each issuing its
 * own. A caller that arrives while a sync is running waits for the next one (the running one may
 * have started before its rename), which one of the waiters then runs for all of them.
 *
 * <p>This keeps {@link ChipStore#save}'s guarantee unchanged (the rename is durable before the
 * method returns) while concurrent installs on different chips share directory {@code fsync}s.
 */
final class GroupSync {

  /** The sync itself (a directory fsync; replaced in tests). */
  @FunctionalInterface
  interface Action {
    void run();
  }

  private final Action action;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private long requested;
  private long completed;
  private boolean running;

  GroupSync(Action action) {
    this.action = Objects.requireNonNull(action, "action");
  }

  /** Returns once a sync that started after this call has completed; rethrows its failure. */
  void sync() {
    lock.lock();
    try {
      long ticket = ++requested;
      while (completed < ticket) {
        if (running) {
          done.awaitUninterruptibly();
          continue;
        }
        // Lead one sync for every ticket issued so far: all of them were issued before it starts.
        running = true;
        long covers = requested;
        boolean ok = false;
        lock.unlock();
        try {
          action.run();
          ok = true;
        } finally {
          lock.lock();
          running = false;
          if (ok) {
            completed = Math.max(completed, covers);
          }
          done.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
