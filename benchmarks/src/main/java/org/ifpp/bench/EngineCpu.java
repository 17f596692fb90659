package org.ifpp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * CPU time per operation of {@link EngineBenchmark}'s methods on one thread, for a machine too
 * loaded for JMH's throughput to mean anything: the thread's CPU time barely moves with the load.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.ifpp.bench.EngineCpu [ops] [rounds]}
 * from the project root. Two warm-up rounds, then {@code rounds} (default 15) measured rounds of
 * {@code ops} (default 1,000) calls of each method in turn; per method the best and the median
 * round, then the ratio of each mode's primitives to its binding from the best rounds (1.0: the
 * binding costs no more than what it cannot avoid; 0.91 is within 10 %). The best round is the one
 * least disturbed by other processes and the garbage collector.
 */
public final class EngineCpu {

  private static final String[] METHODS = {
    "bindPpkMode",
    "primitivesOfOneBinding",
    "bindPpkModeHead",
    "bindSessionMode",
    "primitivesOfSessionBinding",
    "openPpkMode",
    "openSessionMode"
  };

  private EngineCpu() {}

  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    EngineBenchmark b = new EngineBenchmark();
    b.curve = System.getProperty("curve", "P256");
    b.setUp();
    double[][] us = new double[METHODS.length][rounds];
    for (int round = -2; round < rounds; round++) {
      for (int k = 0; k < METHODS.length; k++) {
        Method m = EngineBenchmark.class.getMethod(METHODS[k]);
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          m.invoke(b);
        }
        if (round >= 0) {
          us[k][round] = (mx.getCurrentThreadCpuTime() - start) / 1000.0 / ops;
        }
      }
    }
    double[] best = new double[METHODS.length];
    for (int k = 0; k < METHODS.length; k++) {
      double[] sorted = us[k].clone();
      Arrays.sort(sorted);
      best[k] = sorted[0];
      System.out.printf(
          "%-27s best %6.1f us, median %6.1f us of CPU%n",
          METHODS[k], sorted[0], sorted[rounds / 2]);
    }
    System.out.printf(
        "primitives/binding (best rounds): PPK mode %.2f (its head only, as the Key Maker binds:"
            + " %.2f), session mode %.2f%n",
        best[1] / best[0], best[1] / best[2], best[4] / best[3]);
  }
}
