package org.ifpp.euicc.loading;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ifpp.crypto.ids.Eid;

/**
 * Installs per second of a 12 KB TS.48 profile (session-key mode) on one thread, and the time to
 * manufacture and reload a fleet. Not a test: run it by hand (see docs/euicc-simulator.md).
 *
 * <p>Arguments: [installs (default 2000)] [fleet size (default 10000)] [fsync true|false].
 */
public final class LoadThroughputBenchmark {

  private LoadThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int installs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int fleet = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path dir = Files.createTempDirectory("euicc-bench");
    LoadFixture f = new LoadFixture(dir);
    f.fsync = args.length <= 2 || Boolean.parseBoolean(args[2]);
    f.restart();
    System.out.println("fsync: " + f.fsync);

    long t0 = System.nanoTime();
    List<Eid> chips = f.manufacturing.manufacture(fleet, 4);
    long t1 = System.nanoTime();
    System.out.printf("manufacture %d chips x 4 keys: %.2f s%n", fleet, (t1 - t0) / 1e9);

    // Bind one package per chip ahead of time: that is the Key Maker's cost, not the chip's.
    List<Eid> targets = chips.subList(0, Math.min(installs, chips.size()));
    List<byte[]> packages = new ArrayList<>(targets.size());
    for (Eid e : targets) {
      packages.add(f.bind(e, 0));
    }
    System.out.printf("package size: %d bytes%n", packages.get(0).length);

    int warm = Math.min(1000, targets.size() / 3);
    for (int i = 0; i < warm; i++) {
      check(f.load(targets.get(i), packages.get(i)));
    }
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long s0 = System.nanoTime();
    for (int i = warm; i < targets.size(); i++) {
      check(f.load(targets.get(i), packages.get(i)));
    }
    long s1 = System.nanoTime();
    long c1 = mx.getCurrentThreadCpuTime();
    int measured = targets.size() - warm;
    System.out.printf(
        "CPU per install: %.2f ms (= %.0f installs/s per fully available core)%n",
        (c1 - c0) / 1e6 / measured, measured / ((c1 - c0) / 1e9));
    System.out.printf(
        "installs on one thread: %d in %.2f s = %.0f installs/s (%.2f ms each)%n",
        measured, (s1 - s0) / 1e9, measured / ((s1 - s0) / 1e9), (s1 - s0) / 1e6 / measured);

    long r0 = System.nanoTime();
    f.restart();
    long r1 = System.nanoTime();
    System.out.printf("restart (reload %d chips): %.2f s%n", f.chips.size(), (r1 - r0) / 1e9);

    // Two threads on different chips, as two lines would drive the fleet.
    List<Eid> second = chips.subList(targets.size(), Math.min(chips.size(), 2 * targets.size()));
    if (second.isEmpty()) {
      System.out.println(
          "installs on the common pool: skipped (no fresh chips: the fleet must be larger than the"
              + " installs)");
      return;
    }
    List<byte[]> more = new ArrayList<>();
    for (Eid e : second) {
      more.add(f.bind(e, 0));
    }
    long p0 = System.nanoTime();
    IntStream.range(0, second.size())
        .parallel()
        .forEach(i -> check(f.load(second.get(i), more.get(i))));
    long p1 = System.nanoTime();
    System.out.printf(
        "installs on the common pool (%d threads): %.0f installs/s%n",
        java.util.concurrent.ForkJoinPool.commonPool().getParallelism(),
        second.size() / ((p1 - p0) / 1e9));
  }

  private static void check(LoadOutcome o) {
    if (!o.installed()) {
      throw new IllegalStateException("not installed: " + o.errorReason());
    }
  }
}
