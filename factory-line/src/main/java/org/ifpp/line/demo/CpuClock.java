package org.ifpp.line.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU seconds used so far by named processes (Linux {@code /proc/<pid>/stat}, user + system) and by
 * this JVM, so that the demo can say where the cycles of each phase went. Processes that cannot be
 * read are left out.
 */
final class CpuClock {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final Map<String, Long> pids;

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
  Map<String, Double> now() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      Double s =
          e.getKey().equals("postgres") ? treeSeconds(e.getValue()) : procSeconds(e.getValue());
      if (s != null) {
        out.put(e.getKey(), s);
      }
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      out.put("factory-line", sun.getProcessCpuTime() / 1e9);
    }
    return out;
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
