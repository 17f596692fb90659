package org.ifpp.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds used so far by named processes (Linux {@code /proc/<pid>/stat}, user + system) and by
 * this JVM, so that the demo can say where the cycles of each phase went. Processes that cannot be
 * read are left out. For a JVM it also gives the share of its JIT compiler threads ({@code
 * name/jit}: "C1 CompilerThre", "C2 CompilerThre") and of its garbage collector ({@code name/gc}:
 * "GC Thread#N" and the "VM Thread" that runs the safepoints), from {@code /proc/<pid>/task}: the
 * demo's services are fresh JVMs, so part of a one-minute phase is compilation.
 */
final class CpuClock {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final Map<String, Long> pids;
  // Per process and share: ticks already counted, and the last reading of each live thread, so
  // that a compiler thread that exits (HotSpot stops idle extra ones) does not make a share fall.
  private final Map<String, Long> shareTicks = new java.util.HashMap<>();
  private final Map<String, Long> lastThreadTicks = new java.util.HashMap<>();

  CpuClock(Map<String, Long> pids) {
    this.pids = new LinkedHashMap<>(pids);
  }

  /** Parses {@code name=pid,name=pid}; empty or null gives no processes. */
  static CpuClock parse(String spec) {
    Map<String, Long> pids = new LinkedHashMap<>();
    if (spec != null && !spec.isBlank()) {
      for (String part : spec.split(",")) {
        String[] kv = part.split("=", 2);
        if (kv.length == 2) {
          pids.put(kv[0].strip(), Long.parseLong(kv[1].strip()));
        }
      }
    }
    return new CpuClock(pids);
  }

  /** CPU seconds per process now, this JVM as {@code factory-line}. */
  synchronized Map<String, Double> now() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      boolean postgres = e.getKey().equals("postgres");
      Double s = postgres ? treeSeconds(e.getValue()) : procSeconds(e.getValue());
      if (s != null) {
        out.put(e.getKey(), s);
        if (!postgres) {
          threadSeconds(e.getKey(), e.getValue(), out);
        }
      }
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      out.put("factory-line", sun.getProcessCpuTime() / 1e9);
    }
    threadSeconds("factory-line", ProcessHandle.current().pid(), out);
    return out;
  }

  /**
   * Whether a key of {@link #now()} is a share of a process ({@code name/jit}, {@code name/gc}).
   */
  static boolean isShare(String key) {
    return key.indexOf('/') >= 0;
  }

  /**
   * Adds {@code name/jit} and {@code name/gc}: the CPU of a JVM's compiler and GC threads, counted
   * per thread since the first reading. A thread that exits between two readings loses what it used
   * since the last one, so a share can only be underestimated.
   */
  private synchronized void threadSeconds(String name, long pid, Map<String, Double> out) {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
          continue;
        }
        String comm = stat.substring(open + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        String share;
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          share = name + "/jit";
        } else if (comm.startsWith("GC Thread") || comm.equals("VM Thread")) {
          share = name + "/gc";
        } else {
          continue;
        }
        Long last = lastThreadTicks.put(pid + "/" + t.getFileName(), ticks);
        shareTicks.merge(share, ticks - (last == null ? 0 : last), Long::sum);
      }
    } catch (IOException | RuntimeException e) {
      return;
    }
    out.put(name + "/jit", shareTicks.getOrDefault(name + "/jit", 0L) / TICKS_PER_SECOND);
    out.put(name + "/gc", shareTicks.getOrDefault(name + "/gc", 0L) / TICKS_PER_SECOND);
  }

  /** {@code after - before} per process, rounded to 0.01 s. */
  static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new LinkedHashMap<>();
    after.forEach(
        (k, v) -> out.put(k, Math.round((v - before.getOrDefault(k, 0.0)) * 100) / 100.0));
    return out;
  }

  private static Double procSeconds(long pid) {
    String[] f = stat(pid);
    return f == null ? null : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
  }

  /**
   * A PostgreSQL server: the postmaster, its finished children (cutime, cstime) and its live
   * backends (one process per connection).
   */
  private static Double treeSeconds(long pid) {
    String[] root = stat(pid);
    if (root == null) {
      return null;
    }
    long ticks =
        Long.parseLong(root[11])
            + Long.parseLong(root[12])
            + Long.parseLong(root[13])
            + Long.parseLong(root[14]);
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String[] f = stat(Long.parseLong(name));
        if (f != null && Long.parseLong(f[1]) == pid) {
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** The fields of /proc/pid/stat after the command name (index 0 is the state), or null. */
  private static String[] stat(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces: the fields start after the last ')'.
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
