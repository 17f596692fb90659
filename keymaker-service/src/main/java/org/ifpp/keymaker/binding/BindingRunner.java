package org.ifpp.keymaker.binding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the binding worker threads: recovery first, then {@code workers} threads that process chunks
 * while there is work and otherwise wait for {@link #wakeUp()} (or poll every second, for work
 * planned by another path or another instance), and a recovery thread that takes over the
 * reservations of instances whose lease expired, every heartbeat. Stops cleanly: a chunk in
 * progress finishes its transaction.
 */
public class BindingRunner implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BindingRunner.class);

  private final BindingWorker worker;
  private final BindingRecovery recovery;
  private final int threads;
  private final Duration recoveryInterval;
  private final AtomicBoolean running = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition stopping = lock.newCondition();
  private final List<Thread> started = new ArrayList<>();

  public BindingRunner(
      BindingWorker worker, BindingRecovery recovery, int threads, Duration recoveryInterval) {
    this.worker = worker;
    this.recovery = recovery;
    this.threads = threads;
    this.recoveryInterval = recoveryInterval;
  }

  /** Tells idle workers that bindings were planned. */
  public void wakeUp() {
    lock.lock();
    try {
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void start() {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    recovery.recover(true);
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, "binder-" + i);
      t.setDaemon(true);
      t.start();
      started.add(t);
    }
    Thread r = new Thread(this::recoveryLoop, "binding-recovery");
    r.setDaemon(true);
    r.start();
    started.add(r);
  }

  private void recoveryLoop() {
    while (running.get()) {
      lock.lock();
      try {
        stopping.await(recoveryInterval.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      if (!running.get()) {
        return;
      }
      try {
        if (recovery.recover(false) > 0) {
          wakeUp();
        }
      } catch (RuntimeException e) {
        log.warn("binding recovery failed: {}", e.toString());
      }
    }
  }

  private void loop() {
    while (running.get()) {
      int n;
      try {
        n = worker.runOnce();
      } catch (RuntimeException e) {
        log.error("binding chunk failed: {}", e.toString());
        n = 0;
      }
      if (n == 0) {
        lock.lock();
        try {
          if (running.get()) {
            work.await(1, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          lock.unlock();
        }
      }
    }
  }

  @Override
  public void stop() {
    running.set(false);
    wakeUp();
    lock.lock();
    try {
      stopping.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread t : started) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    started.clear();
  }

  @Override
  public boolean isRunning() {
    return running.get();
  }

  @Override
  public int getPhase() {
    // After the web server and the datasource are up; stopped before them.
    return Integer.MAX_VALUE - 100;
  }
}
