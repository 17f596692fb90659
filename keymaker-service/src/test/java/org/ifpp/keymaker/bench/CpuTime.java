package org.ifpp.keymaker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of this JVM and of the PostgreSQL server behind it, from {@code /proc} (Linux): robust
 * figures on a machine shared with other builds, where wall-clock rates depend on the load.
 */
final class CpuTime {

  private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

  private CpuTime() {}

  static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The parent process id of {@code pid} (a backend's parent is the postmaster). */
  static long parentOf(long pid) {
    return Long.parseLong(fields(pid)[1]);
  }

  /**
   * CPU time of the postmaster (including its exited children) and of its live children (the
   * backends serving the connection pool).
   */
  static long postgresNanos(long postmaster) {
    long ticks = ticks(postmaster, true);
    for (long child : children(postmaster)) {
      ticks += ticks(child, false);
    }
    return (long) (ticks * NANOS_PER_TICK);
  }

  /**
   * CPU nanoseconds of the PostgreSQL server by process kind: each live child by its title
   * (backend, autovacuum launcher, walwriter...), the postmaster itself, and its exited children
   * (autovacuum workers and other short-lived processes, counted when reaped).
   */
  static java.util.Map<String, Long> postgresByKind(long postmaster) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    String[] pm = fields(postmaster);
    if (pm != null) {
      out.put(
          "postmaster",
          (long) ((Long.parseLong(pm[11]) + Long.parseLong(pm[12])) * NANOS_PER_TICK));
      out.put(
          "exited children",
          (long) ((Long.parseLong(pm[13]) + Long.parseLong(pm[14])) * NANOS_PER_TICK));
    }
    for (long pid : children(postmaster)) {
      String title;
      try {
        title =
            Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                .replace('\0', ' ')
                .trim();
      } catch (IOException e) {
        continue;
      }
      // "postgres: walwriter", "postgres: user db 127.0.0.1(port) idle": keep the kind.
      String kind = title.replaceFirst("^postgres: ", "");
      if (kind.matches("\\S+ \\S+ [0-9.:]+\\(\\d+\\).*")) {
        kind = "backends";
      }
      out.merge(kind, (long) (ticks(pid, false) * NANOS_PER_TICK), Long::sum);
    }
    return out;
  }

  /** The live child processes of {@code parent}, from /proc. */
  private static java.util.List<Long> children(long parent) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        String[] f = fields(pid);
        if (f != null && Long.parseLong(f[1]) == parent) {
          out.add(pid);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** CPU ticks of this JVM's native threads, grouped by thread name with digits folded. */
  static java.util.Map<String, Long> jvmThreads() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String s = Files.readString(t.resolve("stat"));
          String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("\\d+", "N");
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          out.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (IOException e) {
          // the thread ended
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** Prints the threads that used the most CPU between two {@link #jvmThreads()} snapshots. */
  static void printThreadDelta(
      java.util.Map<String, Long> before, java.util.Map<String, Long> after, long bindings) {
    after.entrySet().stream()
        .map(
            e ->
                java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(8)
        .forEach(
            e ->
                System.out.printf(
                    "BENCH cpu thread %-18s %6.1f us/binding%n",
                    e.getKey(), e.getValue() * NANOS_PER_TICK / 1e3 / bindings));
  }

  private static long ticks(long pid, boolean withChildren) {
    String[] f = fields(pid);
    if (f == null) {
      return 0;
    }
    // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
    long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
  }

  /** The fields of /proc/PID/stat after the command name, or null if the process is gone. */
  private static String[] fields(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException e) {
      return null;
    }
  }
}
