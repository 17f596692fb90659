package org.ifpp.broker.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ifpp.broker.FactoryBrokerApplication;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.TestPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load driver (not a test): starts the broker on a real PostgreSQL, uploads N packages (packages
 * per second), lets 64 concurrent lines claim and download them all (claims per second, claim
 * latency p50/p99), then runs pgbench's single-row UPDATE against the same server as the reference,
 * and prints both and their ratio.
 *
 * <p>Arguments: {@code [packages=20000] [lines=64] [packageBytes=12000] [pgbenchSeconds=20]
 * [one-call|two-calls]}.
 */
public final class ClaimBenchmark {

  private static final String KEYMAKER = "bench-keymaker-token-0123456789";
  private static final String ADMIN = "bench-admin-token-0123456789";

  /** Claim and download in one call (Accept: application/octet-stream), or two calls. */
  private static boolean ONE_CALL = true;

  /**
   * Each package names its one-time key (as the Key Maker's do since issue 15); {@code
   * -Dbench.otpk=false} uploads packages without one, to compare with runs of older code.
   */
  private static final boolean WITH_OTPK = !"false".equals(System.getProperty("bench.otpk"));

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 12_000;
    int pgbenchSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    ONE_CALL = args.length <= 4 || !"two-calls".equals(args[4]);
    System.out.println(
        "mode: "
            + (ONE_CALL ? "one call (claim with package)" : "two calls")
            + (WITH_OTPK
                ? ", packages with their one-time key"
                : ", packages without one-time key"));

    // -Dbench.pgUrl=jdbc:postgresql://localhost:PORT/ (user postgres, trust): a server started by
    // hand, e.g. with shared_preload_libraries=pg_stat_statements, to look inside after the run.
    String external = System.getProperty("bench.pgUrl");
    TestPostgres.Database db =
        external == null ? TestPostgres.newDatabase("bench") : externalDatabase(external);
    System.out.printf(
        "PostgreSQL (%s): %s%n", external == null ? TestPostgres.kind() : external, settings(db));
    List<String> springArgs =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--logging.structured.format.console=",
                "--logging.level.org.ifpp=WARN",
                "--logging.level.root=WARN",
                "--ifpp.broker.max-batch-size=10000",
                "--ifpp.broker.bootstrap-clients[0].name=keymaker",
                "--ifpp.broker.bootstrap-clients[0].token=" + KEYMAKER,
                "--ifpp.broker.bootstrap-clients[0].scopes=upload,export,purge",
                "--ifpp.broker.bootstrap-clients[1].name=admin",
                "--ifpp.broker.bootstrap-clients[1].token=" + ADMIN,
                "--ifpp.broker.bootstrap-clients[1].scopes=admin"));
    // Extra settings to try (e.g. -Dbench.args="--spring.datasource.hikari.maximum-pool-size=4").
    for (String a : System.getProperty("bench.args", "").split(" ")) {
      if (!a.isBlank()) {
        springArgs.add(a);
      }
    }
    System.out.println(
        "broker settings: "
            + springArgs.subList(0, 1)
            + " + "
            + System.getProperty("bench.args", ""));
    ConfigurableApplicationContext app =
        SpringApplication.run(FactoryBrokerApplication.class, springArgs.toArray(String[]::new));
    try {
      String port = app.getEnvironment().getProperty("local.server.port");
      BrokerClient api = new BrokerClient("http://localhost:" + port);
      Map<String, Object> client = new LinkedHashMap<>();
      client.put("name", "factory-bench");
      client.put("scopes", List.of("claim", "download"));
      client.put("factory", "F1");
      String lineToken =
          api.post("/api/v1/admin/clients", ADMIN, client).json().get("token").asString();

      // 1. Upload
      Random random = new Random(1);
      List<Eid> eids = new ArrayList<>(n);
      long uploadNanos = 0;
      int batchSize = 1000;
      for (int b = 0; b * batchSize < n; b++) {
        List<Map<String, Object>> pkgs = new ArrayList<>();
        for (int i = b * batchSize; i < Math.min(n, (b + 1) * batchSize); i++) {
          TransactionId tx = TestPackages.transactionId(random);
          Eid eid = TestPackages.eid(random);
          eids.add(eid);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("eid", eid.value());
          m.put("transactionId", tx.toHex());
          m.put(
              "boundProfilePackage", TestPackages.b64(TestPackages.boundPackage(tx, size, random)));
          // The one-time key each package is bound to, as the Key Maker names it.
          if (WITH_OTPK) {
            byte[] otpk = new byte[65];
            random.nextBytes(otpk);
            otpk[0] = 0x04;
            m.put("bppEuiccOtpk", java.util.HexFormat.of().withUpperCase().formatHex(otpk));
          }
          pkgs.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", "bench-" + b);
        body.put("targetFactory", "F1");
        body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
        body.put("packages", pkgs);
        byte[] json = BrokerClient.JSON.writeValueAsBytes(body);
        long t0 = System.nanoTime();
        BrokerClient.Response r =
            api.post("/api/v1/batches", KEYMAKER, json, "Idempotency-Key", "b" + b);
        uploadNanos += System.nanoTime() - t0;
        if (r.status() != 201) {
          throw new IllegalStateException("upload failed: " + r.text());
        }
      }
      double uploadRate = n / (uploadNanos / 1e9);
      System.out.printf(
          "upload: %d packages of %d bytes in batches of %d: %.0f packages/s%n",
          n, size, batchSize, uploadRate);

      // 2. 64 lines claim + download everything. The first 10% and then 20,000 repeated claims of
      // those (a line that holds a package gets it again: the same statement and answer) warm the
      // JIT and are not counted. With 10% alone, C2 was still compiling the claim path during the
      // measured phase (perf: a fifth to a third of the JVM's CPU in the C2 compiler threads),
      // which a running broker does not pay.
      int warm = n / 10;
      runLines(port, lineToken, eids.subList(0, warm), lines, size, new long[warm], new long[warm]);
      int repeats = Math.max(1, 20_000 / lines);
      // The last `lines` packages are the warm-up's, line W<l> holding package n-lines+l.
      int againFailures = runRepeats(port, lineToken, eids.subList(n - lines, n), repeats, size);
      System.out.printf(
          "warm-up: %d claims, %d repeated claims (%d failed)%n",
          warm, repeats * lines, againFailures);
      // On a busy machine C2 finishes compiling the claim path well after the warm-up traffic:
      // wait (up to 30 s) until the compiler threads go quiet, so JIT is not measured as claims.
      long jitWait = System.nanoTime();
      for (int i = 0; i < 60; i++) {
        long j0 = jvmThreadTicks()[0];
        Thread.sleep(500);
        if (jvmThreadTicks()[0] - j0 <= 2) {
          break;
        }
      }
      System.out.printf(
          "warm-up: then %.1f s until the JIT compilers went quiet%n",
          (System.nanoTime() - jitWait) / 1e9);
      List<Eid> measured = eids.subList(warm, n - lines);
      n = measured.size();
      long[] claimLatency = new long[n];
      long[] pairLatency = new long[n];
      io.micrometer.core.instrument.Timer serverTimer =
          app.getBean(io.micrometer.core.instrument.MeterRegistry.class)
              .timer("broker.claim.latency");
      statements(db, true);
      long postmaster = postmasterPid(db);
      long pg0 = postgresCpuNanos(postmaster);
      long[] self0 = procTicks("self");
      long[] threads0 = jvmThreadTicks();
      long[] pgSys0 = {PG_SYS.get()};
      long[] machine0 = machineTicks();
      long cpu0 = processCpuNanos();
      CLIENT_CPU.set(0);
      // For an outside profiler (perf): the measured phase starts now.
      if (System.getProperty("bench.phaseFile") != null) {
        Files.writeString(
            Path.of(System.getProperty("bench.phaseFile")),
            ProcessHandle.current().pid() + " " + postmaster + "\n");
      }
      long start = System.nanoTime();
      int failures = runLines(port, lineToken, measured, lines, size, claimLatency, pairLatency);
      double seconds = (System.nanoTime() - start) / 1e9;
      // The driver runs in this JVM too: its lines' own thread CPU is subtracted, what is left is
      // the broker's (request threads, pool, GC, JIT). Robust under machine load, unlike rates.
      long processCpu = processCpuNanos() - cpu0;
      long clientCpu = CLIENT_CPU.get();
      long pgCpu = postgresCpuNanos(postmaster) - pg0;
      long pgSys = PG_SYS.get() - pgSys0[0];
      long[] self1 = procTicks("self");
      long[] threads1 = jvmThreadTicks();
      long[] machine1 = machineTicks();
      double claimRate = n / seconds;
      Arrays.sort(claimLatency);
      Arrays.sort(pairLatency);
      System.out.printf(
          "claim+download: %d lines, %d packages in %.1f s: %.0f claims/s (each with its download),"
              + " failures %d%n",
          lines, n, seconds, claimRate, failures);
      System.out.printf(
          "CPU per claim+download: broker %.0f us (JVM process %.0f us minus driver %.0f us)%n",
          (processCpu - clientCpu) / 1e3 / n, processCpu / 1e3 / n, clientCpu / 1e3 / n);
      double busy = machine1[1] - machine0[1];
      double all = machine1[0] - machine0[0];
      System.out.printf(
          "CPU per claim+download: PostgreSQL (postmaster %d and its children) %.0f us;"
              + " machine busy %.0f%% of %d cores over the phase (%.0f us per claim, all"
              + " processes)%n",
          postmaster,
          pgCpu / 1e3 / n,
          all == 0 ? 0 : 100 * busy / all,
          Runtime.getRuntime().availableProcessors(),
          all == 0
              ? 0
              : seconds * Runtime.getRuntime().availableProcessors() * busy / all * 1e6 / n);
      System.out.printf(
          "of the broker's CPU per claim: JIT compiler threads %.0f us, GC threads %.0f us%n",
          (threads1[0] - threads0[0]) * 1e4 / n, (threads1[1] - threads0[1]) * 1e4 / n);
      System.out.printf(
          "kernel share of CPU: JVM (broker + driver) %.0f%%, PostgreSQL %.0f%%%n",
          100.0 * (self1[1] - self0[1]) / Math.max(1, self1[0] + self1[1] - self0[0] - self0[1]),
          100.0 * pgSys * 10_000_000L / Math.max(1, pgCpu));
      System.out.printf(
          "claim latency at the client: p50 %.1f ms, p99 %.1f ms; claim+download p50 %.1f ms,"
              + " p99 %.1f ms%n",
          pct(claimLatency, 0.50),
          pct(claimLatency, 0.99),
          pct(pairLatency, 0.50),
          pct(pairLatency, 0.99));
      System.out.printf(
          "claim latency inside the broker (SQL statement, all claims): %s%n",
          Arrays.toString(
              Arrays.stream(serverTimer.takeSnapshot().percentileValues())
                  .map(
                      v ->
                          String.format(
                              "p%.0f=%.1fms",
                              v.percentile() * 100,
                              v.value(java.util.concurrent.TimeUnit.MILLISECONDS)))
                  .toArray()));

      statements(db, false);
      app.close();
      app = null;

      // 3. pgbench on the same server, same run
      double tps = pgbench(db, lines, pgbenchSeconds);
      statements(db, false);
      System.out.printf(
          "pgbench: single-row UPDATE, %d clients, -M %s, %d s: %.0f TPS%n",
          lines, System.getProperty("bench.pgbenchMode", "simple"), pgbenchSeconds, tps);
      System.out.printf(
          "RATIO claims/s / pgbench TPS = %.2f (goal >= 0.5); p99 claim %.1f ms (goal < 50)%n",
          claimRate / tps, pct(claimLatency, 0.99));
    } finally {
      if (app != null) {
        app.close();
      }
    }
    System.exit(0);
  }

  private static int runLines(
      String port,
      String lineToken,
      List<Eid> eids,
      int lines,
      int size,
      long[] claimLatency,
      long[] pairLatency)
      throws Exception {
    int n = eids.size();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(lines);
    List<Future<?>> fs = new ArrayList<>();
    for (int l = 0; l < lines; l++) {
      String line = "L" + l;
      fs.add(
          pool.submit(
              () ->
                  runLine(
                      port,
                      lineToken,
                      line,
                      eids,
                      size,
                      next,
                      failures,
                      claimLatency,
                      pairLatency)));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return failures.get();
  }

  /** Line l claims package l again and again (it holds it: the same answer each time). */
  private static int runRepeats(
      String port, String lineToken, List<Eid> held, int repeats, int size) throws Exception {
    AtomicInteger failures = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(held.size());
    List<Future<?>> fs = new ArrayList<>();
    for (int l = 0; l < held.size(); l++) {
      List<Eid> mine = java.util.Collections.nCopies(repeats, held.get(l));
      String line = "W" + l;
      long[] ignored = new long[repeats];
      fs.add(
          pool.submit(
              () ->
                  runLine(
                      port,
                      lineToken,
                      line,
                      mine,
                      size,
                      new AtomicInteger(),
                      failures,
                      ignored,
                      ignored)));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return failures.get();
  }

  private static Void runLine(
      String port,
      String lineToken,
      String line,
      List<Eid> eids,
      int size,
      AtomicInteger next,
      AtomicInteger failures,
      long[] claimLatency,
      long[] pairLatency)
      throws IOException {
    int n = eids.size();
    String auth = "Authorization: Bearer " + lineToken + "\r\nX-Line-Id: " + line + "\r\n";
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    try (RawHttp http = new RawHttp(Integer.parseInt(port))) {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        byte[] body =
            ("{\"eid\":\"" + eids.get(i).value() + "\"}").getBytes(StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        if (ONE_CALL) {
          RawHttp.Response r =
              http.send(
                  "POST",
                  "/api/v1/claims",
                  auth + "Content-Type: application/json\r\nAccept: application/octet-stream\r\n",
                  body);
          long t1 = System.nanoTime();
          if (r.status() != 200 || r.body().length < size) {
            failures.incrementAndGet();
          }
          claimLatency[i] = t1 - t0;
          pairLatency[i] = t1 - t0;
          continue;
        }
        RawHttp.Response c =
            http.send(
                "POST",
                "/api/v1/claims",
                auth + "Content-Type: application/json\r\nAccept: application/json\r\n",
                body);
        long t1 = System.nanoTime();
        if (c.status() != 200) {
          failures.incrementAndGet();
          continue;
        }
        String tx = BrokerClient.JSON.readTree(c.body()).get("transactionId").asString();
        RawHttp.Response d =
            http.send(
                "GET",
                "/api/v1/packages/" + tx,
                auth + "Accept: application/octet-stream\r\n",
                null);
        long t2 = System.nanoTime();
        if (d.status() != 200 || d.body().length < size) {
          failures.incrementAndGet();
        }
        claimLatency[i] = t1 - t0;
        pairLatency[i] = t2 - t0;
      }
    } finally {
      CLIENT_CPU.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
    }
    return null;
  }

  private static final java.util.concurrent.atomic.AtomicLong CLIENT_CPU =
      new java.util.concurrent.atomic.AtomicLong();

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The postmaster of the benchmark's server: the parent of one of its backends (Linux). */
  static long postmasterPid(TestPostgres.Database db) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      String stat = Files.readString(Path.of("/proc", rs.getString(1), "stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    } catch (Exception e) {
      return -1;
    }
  }

  /** CPU time (user + system) of the postmaster and all its children, from /proc; 0 elsewhere. */
  static long postgresCpuNanos(long postmaster) {
    if (postmaster < 0) {
      return 0;
    }
    long ticks = 0;
    long sys = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        String name = d.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(d.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          // f[1] = ppid, f[11] = utime, f[12] = stime (fields 4, 14, 15 of proc(5))
          if (Long.parseLong(name) == postmaster || Long.parseLong(f[1]) == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            sys += Long.parseLong(f[12]);
          }
          if (Long.parseLong(name) == postmaster) {
            // f[13], f[14] = cutime, cstime: backends that have exited (pgbench's, autovacuum
            // workers), reaped by the postmaster; without them pgbench's backends are not counted.
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            sys += Long.parseLong(f[14]);
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    PG_SYS.set(sys);
    return ticks * 10_000_000L; // USER_HZ = 100
  }

  private static final java.util.concurrent.atomic.AtomicLong PG_SYS =
      new java.util.concurrent.atomic.AtomicLong();

  /** {JIT compiler, GC} ticks of this JVM's own threads, from /proc/self/task (Linux). */
  private static long[] jvmThreadTicks() {
    long jit = 0;
    long gc = 0;
    try (var dirs = Files.list(Path.of("/proc/self/task"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        try {
          String stat = Files.readString(d.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          if (comm.contains("CompilerThre")) {
            jit += ticks;
          } else if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            gc += ticks;
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return new long[] {0, 0};
    }
    return new long[] {jit, gc};
  }

  /** {user, system} ticks of a process from /proc; zeros elsewhere. */
  private static long[] procTicks(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** {all, busy} jiffies of the whole machine from /proc/stat; zeros elsewhere. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        all += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {all, all - idle};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  private static double pct(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
  }

  private static TestPostgres.Database externalDatabase(String serverUrl) throws Exception {
    String name = "bench_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(serverUrl + "postgres", "postgres", "")) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    TestPostgres.Database db = new TestPostgres.Database(serverUrl + name, "postgres", "");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
      c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      STATEMENTS = true;
    } catch (java.sql.SQLException e) {
      System.out.println("no pg_stat_statements: " + e.getMessage());
    }
    return db;
  }

  private static boolean STATEMENTS;
  private static final Map<String, long[]> TABLES = new java.util.HashMap<>();

  /** pg_stat_statements: clears it (reset) or prints the statements of the phase, per call. */
  private static void statements(TestPostgres.Database db, boolean reset) throws Exception {
    if (!STATEMENTS) {
      return;
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      String tables =
          "SELECT relname, n_tup_upd, n_tup_hot_upd, n_tup_ins, autovacuum_count"
              + " FROM pg_stat_user_tables WHERE relname IN ('package', 'pgbench_accounts')"
              + " UNION ALL SELECT 'checkpoints', checkpoints_timed + checkpoints_req, 0, 0, 0"
              + " FROM pg_stat_bgwriter";
      if (reset) {
        c.createStatement().execute("SELECT pg_stat_statements_reset()");
        TABLES.clear();
        ResultSet t = c.createStatement().executeQuery(tables);
        while (t.next()) {
          TABLES.put(t.getString(1), new long[] {t.getLong(2), t.getLong(3), t.getLong(5)});
        }
        return;
      }
      Thread.sleep(1_000); // PostgreSQL 14's statistics collector lags up to 500 ms
      ResultSet t = c.createStatement().executeQuery(tables);
      while (t.next()) {
        long[] before = TABLES.getOrDefault(t.getString(1), new long[3]);
        System.out.printf(
            "  %s: updates %d, of which HOT %d; autovacuums %d%n",
            t.getString(1),
            t.getLong(2) - before[0],
            t.getLong(3) - before[1],
            t.getLong(5) - before[2]);
      }
      ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "SELECT calls, total_exec_time * 1000 / calls, total_plan_time * 1000 / calls,"
                      + " plans, (shared_blks_hit + shared_blks_read)::float / calls,"
                      + " shared_blks_dirtied::float / calls, wal_records::float / calls,"
                      + " wal_fpi::float / calls, wal_bytes::float / calls,"
                      + " left(regexp_replace(query, '\\s+', ' ', 'g'), 90)"
                      + " FROM pg_stat_statements WHERE calls >= 100"
                      + " ORDER BY total_exec_time DESC LIMIT 6");
      System.out.println(
          "pg_stat_statements (per call): calls, exec us, plan us, plans, blocks, dirtied,"
              + " WAL records, full-page images, WAL bytes, statement");
      while (rs.next()) {
        System.out.printf(
            "  %d  %.0f  %.1f  %d  %.1f  %.2f  %.2f  %.3f  %.0f  %s%n",
            rs.getLong(1),
            rs.getDouble(2),
            rs.getDouble(3),
            rs.getLong(4),
            rs.getDouble(5),
            rs.getDouble(6),
            rs.getDouble(7),
            rs.getDouble(8),
            rs.getDouble(9),
            rs.getString(10));
      }
    }
  }

  private static String settings(TestPostgres.Database db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT version(), current_setting('fsync'),"
                        + " current_setting('synchronous_commit'),"
                        + " current_setting('shared_buffers')")) {
      rs.next();
      return rs.getString(1).split(",")[0]
          + ", fsync="
          + rs.getString(2)
          + ", synchronous_commit="
          + rs.getString(3)
          + ", shared_buffers="
          + rs.getString(4);
    }
  }

  private static double pgbench(TestPostgres.Database db, int clients, int seconds)
      throws Exception {
    String bin = findPgbench();
    java.net.URI uri = java.net.URI.create(db.jdbcUrl().substring(5));
    String[] conn = {"-h", uri.getHost(), "-p", String.valueOf(uri.getPort()), "-U", db.username()};
    String dbName = uri.getPath().substring(1);
    run(concat(new String[] {bin, "-i", "-q", "-s", "10"}, conn, new String[] {dbName}), db);
    statements(db, true);
    long postmaster = postmasterPid(db);
    long pg0 = postgresCpuNanos(postmaster);
    long[] machine0 = machineTicks();
    Path script = Files.createTempFile("pgbench-update-", ".sql");
    Files.writeString(
        script,
        "\\set aid random(1, 1000000)\n"
            + "UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n");
    String out =
        run(
            concat(
                new String[] {
                  bin,
                  "-n",
                  // pgbench's default is the simple protocol (parsed and planned per transaction);
                  // -Dbench.pgbenchMode=prepared measures it with prepared statements, as the
                  // broker's pgjdbc uses them.
                  "-M",
                  System.getProperty("bench.pgbenchMode", "simple"),
                  "-c",
                  String.valueOf(clients),
                  "-j",
                  "2",
                  "-T",
                  String.valueOf(seconds),
                  "-f",
                  script.toString()
                },
                conn,
                new String[] {dbName}),
            db);
    Matcher m =
        Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("pgbench output not understood:\n" + out);
    }
    long[] machine1 = machineTicks();
    Thread.sleep(1_000); // until the postmaster has reaped pgbench's backends (their CPU counts)
    long pgCpu = postgresCpuNanos(postmaster) - pg0;
    Matcher count =
        Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(out);
    if (count.find()) {
      long tx = Long.parseLong(count.group(1));
      double all = machine1[0] - machine0[0];
      double busy = machine1[1] - machine0[1];
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(
          "pgbench: CPU per transaction: PostgreSQL %.0f us; machine busy %.0f%% of %d cores"
              + " (%.0f us per transaction, all processes, pgbench's client included)%n",
          pgCpu / 1e3 / tx,
          all == 0 ? 0 : 100 * busy / all,
          cores,
          all == 0 ? 0 : seconds * cores * busy / all * 1e6 / tx);
    }
    return Double.parseDouble(m.group(1));
  }

  private static String findPgbench() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "pgbench"))) {
        return Path.of(dir, "pgbench").toString();
      }
    }
    for (String v : new String[] {"17", "16", "15", "14"}) {
      Path p = Path.of("/usr/lib/postgresql", v, "bin", "pgbench");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException("pgbench not found (apt-get install postgresql-client)");
  }

  private static String run(String[] cmd, TestPostgres.Database db)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", db.password());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
    return out;
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
