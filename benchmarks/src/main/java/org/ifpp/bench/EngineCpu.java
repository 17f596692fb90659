package org.ifpp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * CPU time per operation of {@link EngineBenchmark}'s methods on one thread, for a machine too
 * loaded for JMH's throughput to mean anything: the thread's CPU time barely moves with the load.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.ifpp.bench.EngineCpu [ops]} from the
 * project root; a warm-up round, then two measured rounds of {@code ops} (default 2,000) each.
 */
public final class EngineCpu {

  private static final String[] METHODS = {
    "bindPpkMode", "bindSessionMode", "openPpkMode", "openSessionMode", "primitivesOfOneBinding"
  };

  private EngineCpu() {}

  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    EngineBenchmark b = new EngineBenchmark();
    b.curve = System.getProperty("curve", "P256");
    b.setUp();
    for (int round = 0; round < 3; round++) {
      StringBuilder line = new StringBuilder(round == 0 ? "warm-up" : "round " + round);
      for (String name : METHODS) {
        Method m = EngineBenchmark.class.getMethod(name);
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
          m.invoke(b);
        }
        double us = (mx.getCurrentThreadCpuTime() - start) / 1000.0 / ops;
        line.append(String.format(" %s=%.1fus", name, us));
      }
      System.out.println(line);
    }
  }
}
