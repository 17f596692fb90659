package org.ifpp.keymaker.bench;

import static org.awaitility.Awaitility.await;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BoundProfilePackageHead;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.keymaker.binding.BindingProperties;
import org.ifpp.keymaker.hsm.DataKey;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.hsm.KeyEncryptionKey;
import org.ifpp.keymaker.hsm.WrappedSecret;
import org.ifpp.keymaker.profiles.PpkCodec;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Benchmark, not a test (skipped unless {@code -Dkeymaker.bench=true}): bindings per second through
 * the API for N bindings in PPK mode (plan with one POST, wait until all are BOUND), and in the
 * same JVM the raw-crypto baseline per binding ({@link #rawContents}: the crypto calls the binder
 * makes, with the same providers, without the service) on the same number of threads. Prints both
 * and their ratio.
 *
 * <pre>
 * ./mvnw -B -pl keymaker-service -am verify -Dit.test=BindingBenchmarkIT -Dtest=NoSuch \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dkeymaker.bench=true [-Dkeymaker.bench.n=10000]
 * </pre>
 */
@EnabledIfSystemProperty(named = "keymaker.bench", matches = "true")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "keymaker.binding.chunk=" + BindingBenchmarkIT.CHUNK,
      "logging.level.org.ifpp=WARN"
    })
// A benchmark of tens of thousands of bindings, when enabled: longer than the default 10 m.
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class BindingBenchmarkIT {

  static final int N = Integer.getInteger("keymaker.bench.n", 10_000);
  static final int THREADS = Integer.getInteger("keymaker.bench.threads", 2);
  static final int KEYS_PER_CHIP = 100;
  static final int CHUNK = 64;

  /**
   * Bindings made through the API before the timed run (JIT warm-up, as for the raw path). 5,000:
   * the per-chunk code runs once per 64 bindings, so after 2,000 the JIT compiler threads still
   * cost about 220 us per binding in the timed run; after 5,000, about 110 us.
   */
  static final int WARMUP = Integer.getInteger("keymaker.bench.warmup", Math.min(N / 2, 5_000));

  static final int TOTAL = N + WARMUP;

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
    registry.add("keymaker.binding.workers", () -> Integer.toString(THREADS));
  }

  @Value("${local.server.port}")
  int port;

  @Autowired HsmSigner signer;
  @Autowired KeyEncryptionKey kek;
  @Autowired BindingProperties bindingProperties;
  @Autowired JdbcTemplate jdbc;
  @Autowired io.micrometer.core.instrument.MeterRegistry registry;

  @Test
  void bindingsPerSecond() throws Exception {
    Api api = Api.operator(port);
    long t = System.nanoTime();
    for (int from = 0; from < TOTAL; from += 500) {
      List<String> batch = new ArrayList<>();
      for (int i = from; i < Math.min(TOTAL, from + 500); i++) {
        String iccid = "894944" + String.format("%013d", 9_000_000L + i);
        batch.add(
            Base64.getEncoder()
                .encodeToString(
                    TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[i % 3]), iccid)));
      }
      Api.Response r = api.postJson("/api/v1/profiles", Map.of("pool", "bench", "profiles", batch));
      if (r.status() != 201) {
        throw new AssertionError(r.body());
      }
    }
    System.out.printf("import: %d profiles in %.1f s%n", TOTAL, secs(t));
    t = System.nanoTime();
    List<String> eids = new ArrayList<>(TOTAL);
    int chips = (TOTAL + KEYS_PER_CHIP - 1) / KEYS_PER_CHIP;
    for (int from = 0; from < chips; from += 20) {
      List<Map<String, String>> filed = new ArrayList<>();
      for (int c = from; c < Math.min(chips, from + 20); c++) {
        TestChips.Chip chip = TestChips.chip(10_000 + c, KEYS_PER_CHIP);
        filed.add(chip.filed());
        for (int k = 0; k < KEYS_PER_CHIP && eids.size() < TOTAL; k++) {
          eids.add(chip.eid().value());
        }
      }
      Api.Response r =
          api.postJson(
              "/api/v1/euicc-data", Map.of("format", "ifpp-euicc-data/1", "euiccs", filed));
      if (r.status() != 200 || r.json().get("rejected").asInt() != 0) {
        throw new AssertionError(r.body());
      }
    }
    System.out.printf("eUICC data: %d chips in %.1f s%n", chips, secs(t));

    // Warm-up of the raw path (JIT), then the baseline.
    raw(2_000, true);
    raw(2_000, false);
    if (WARMUP > 0) {
      bindAll(api, eids.subList(0, WARMUP), WARMUP);
      System.out.printf("warm-up: %d bindings through the API%n", WARMUP);
    }
    long oldCpu0 = CpuTime.jvmNanos();
    double oldRate = raw(N, false);
    double oldCpuUs = (CpuTime.jvmNanos() - oldCpu0) / 1e3 / N;
    java.util.Map<String, Long> rawThreads0 = CpuTime.jvmThreads();
    long rawCpu0 = CpuTime.jvmNanos();
    double rawRate = raw(N, true);
    double rawCpuUs = (CpuTime.jvmNanos() - rawCpu0) / 1e3 / N;
    System.out.println("raw path, CPU by thread:");
    CpuTime.printThreadDelta(rawThreads0, CpuTime.jvmThreads(), N);

    long pgPid = jdbc.queryForObject("select pg_backend_pid()", Long.class);
    long postmaster = CpuTime.parentOf(pgPid);
    java.util.Map<String, Long> threads0 = CpuTime.jvmThreads();
    long jvmCpu0 = CpuTime.jvmNanos();
    long pgCpu0 = CpuTime.postgresNanos(postmaster);
    Map<String, Double> phases0 = phaseSeconds();
    Map<String, Long> pgKinds0 = CpuTime.postgresByKind(postmaster);
    Map<String, Long> tables0 = pgStats ? tableCounters() : Map.of();
    if (pgStats) {
      resetStatements();
    }
    System.out.println(
        "BENCH timed window starts "
            + java.time.Instant.now()
            + " (JVM uptime "
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
            + " ms)");
    long start = System.nanoTime();
    long bound = bindAll(api, eids.subList(WARMUP, TOTAL), TOTAL) - WARMUP;
    double apiSecs = secs(start);
    System.out.println(
        "BENCH timed window ends "
            + java.time.Instant.now()
            + " (JVM uptime "
            + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
            + " ms)");
    Map<String, Long> pgKinds1 = CpuTime.postgresByKind(postmaster);
    double apiRate = bound / apiSecs;
    double jvmCpu = (CpuTime.jvmNanos() - jvmCpu0) / 1e9;
    double pgCpu = (CpuTime.postgresNanos(postmaster) - pgCpu0) / 1e9;
    java.util.Map<String, Long> threads1 = CpuTime.jvmThreads();
    System.out.printf(
        "%nBENCH api: %d bindings (PPK mode, %d worker threads) in %.2f s = %.0f bindings/s%n",
        bound, THREADS, apiSecs, apiRate);
    System.out.printf(
        "BENCH raw: %d threads = %.0f bindings/s, %.1f us CPU each; %s%n",
        THREADS, rawRate, rawCpuUs, rawContents(true));
    System.out.printf(
        "BENCH raw (pre-envelope PPK decryption, for reference): %.0f bindings/s, %.1f us CPU"
            + " each; %s%n",
        oldRate, oldCpuUs, rawContents(false));
    System.out.printf("BENCH ratio api/raw = %.2f%n", apiRate / rawRate);
    double apiCpuUs = 1e6 * (jvmCpu + pgCpu) / bound;
    System.out.printf(
        "BENCH cpu api: %.1f us/binding (JVM %.1f + PostgreSQL %.1f) = %.0f bindings per"
            + " CPU-second%n",
        apiCpuUs, 1e6 * jvmCpu / bound, 1e6 * pgCpu / bound, 1e6 / apiCpuUs);
    System.out.printf(
        "BENCH cpu raw: %.1f us/op = %.0f per CPU-second; cpu ratio raw/api = %.2f%n",
        rawCpuUs, 1e6 / rawCpuUs, rawCpuUs / apiCpuUs);
    CpuTime.printThreadDelta(threads0, threads1, bound);
    System.out.printf(
        "BENCH providers: ACCP %s, verifier %s%n",
        org.ifpp.crypto.provider.AccpSupport.provider().isPresent() ? "loaded" : "absent",
        signer.verifierProviderName());
    for (String kind : pgKinds1.keySet()) {
      long d = pgKinds1.get(kind) - pgKinds0.getOrDefault(kind, 0L);
      if (d > 0) {
        System.out.printf("BENCH cpu postgres %-22s %6.1f us/binding%n", kind, d / 1e3 / bound);
      }
    }
    if (pgStats) {
      Map<String, Long> tables1 = tableCounters();
      for (String k : tables1.keySet()) {
        long d = tables1.get(k) - tables0.getOrDefault(k, 0L);
        if (d != 0) {
          System.out.printf("BENCH pg %-40s %d%n", k, d);
        }
      }
      printStatements(bound);
    }
    Map<String, Double> phases1 = phaseSeconds();
    for (String phase : phases1.keySet()) {
      System.out.printf(
          "BENCH phase %-8s total %.1f s (summed over threads)%n",
          phase, phases1.get(phase) - phases0.get(phase));
    }
  }

  /** Diagnostics (-Dkeymaker.bench.pgstats=true): table counters and, if loaded, statements. */
  static final boolean pgStats = Boolean.getBoolean("keymaker.bench.pgstats");

  private Map<String, Long> tableCounters() {
    Map<String, Long> out = new java.util.TreeMap<>();
    jdbc.query(
        "select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, autovacuum_count,"
            + " autoanalyze_count from pg_stat_user_tables",
        rs -> {
          for (String c :
              new String[] {
                "n_tup_ins",
                "n_tup_upd",
                "n_tup_hot_upd",
                "n_tup_del",
                "autovacuum_count",
                "autoanalyze_count"
              }) {
            out.put(rs.getString("relname") + "." + c, rs.getLong(c));
          }
        });
    jdbc.query(
        "select indexrelname, idx_scan, idx_tup_read from pg_stat_user_indexes",
        rs -> {
          out.put("idx " + rs.getString(1) + ".scan", rs.getLong(2));
          out.put("idx " + rs.getString(1) + ".read", rs.getLong(3));
        });
    try {
      Thread.sleep(600); // the statistics collector (PostgreSQL 14) reports every 500 ms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private void resetStatements() {
    try {
      jdbc.execute("create extension if not exists pg_stat_statements");
      jdbc.execute("select pg_stat_statements_reset()");
    } catch (RuntimeException e) {
      System.out.println("BENCH pg_stat_statements unavailable: " + e.getMessage());
    }
  }

  private void printStatements(long bound) {
    try {
      jdbc.query(
          "select calls, total_exec_time, rows, shared_blks_hit, shared_blks_dirtied, wal_records,"
              + " wal_bytes, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as q from"
              + " pg_stat_statements order by total_exec_time desc limit 20",
          rs -> {
            System.out.printf(
                "BENCH stmt %7d calls %8.1f ms (%5.1f us/binding) rows %7d hit %8d dirtied %6d"
                    + " wal %7d rec %9d B | %s%n",
                rs.getLong(1),
                rs.getDouble(2),
                rs.getDouble(2) * 1e3 / bound,
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getString(8));
          });
    } catch (RuntimeException e) {
      System.out.println("BENCH pg_stat_statements unavailable: " + e.getMessage());
    }
  }

  private Map<String, Double> phaseSeconds() {
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String phase : new String[] {"reserve", "build", "complete"}) {
      out.put(
          phase,
          registry
              .get("keymaker.bindings.phase")
              .tag("phase", phase)
              .timer()
              .totalTime(java.util.concurrent.TimeUnit.SECONDS));
    }
    return out;
  }

  /**
   * Plans one batch for {@code eids} and waits until {@code untilBound} bindings are BOUND. The
   * wait reads the binder's in-process counter of bound bindings (incremented after each chunk's
   * commit), not the database: polling {@code count(*)} over the bindings table every 50 ms would
   * add the harness's own queries to the PostgreSQL CPU measured for the Key Maker. The database
   * count is read once at the end.
   */
  private long bindAll(Api api, List<String> eids, long untilBound) throws Exception {
    Api.Response bind = api.postJson("/api/v1/bindings", Map.of("pool", "bench", "eids", eids));
    if (bind.status() != 202) {
      throw new AssertionError(bind.body());
    }
    io.micrometer.core.instrument.Counter counter =
        registry.get("keymaker.bindings").tag("outcome", "bound").counter();
    await()
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> counter.count() >= untilBound);
    return jdbc.queryForObject("select count(*) from bindings where state = 'BOUND'", Long.class);
  }

  /** What the baseline does per binding (printed with the figures). */
  static String rawContents(boolean envelope) {
    return "per binding: "
        + (envelope
            ? "PPK decryption as the binder needs it (one data-key unwrap in SoftHSM with the token"
                + " KEK per chunk of "
                + CHUNK
                + " bindings, then AES-GCM decryption of the 48-byte PPK blob under the data key"
                + " in software, AAD = profile)"
            : "PPK decryption of the pre-envelope design (AES-GCM unwrap of the 48-byte PPK blob"
                + " in SoftHSM with the token KEK, AAD = profile)")
        + " + the engine's PPK-mode bind path as BindingWorker calls it (otPK.EUICC point"
        + " decode/check, ephemeral P-256 keygen, ECDH, X9.63 KDF, BSP of A0/A1/A2, HSM"
        + " signature through HsmSigner incl. its software verification, encode of the package head as the binder stores it); stored profiles"
        + " pre-decoded, no database, no HTTP";
  }

  /** Inputs of the baseline, prepared outside the timed loop (as the import stores them). */
  private record RawProfile(
      ProtectedProfilePackage ppp, String iccid, WrappedSecret wrapped, WrappedSecret sealed) {}

  private List<RawProfile> rawProfiles;
  private UUID rawDataKeyId;
  private WrappedSecret rawDataKey;
  private List<byte[]> rawPeers;
  private Eid rawEid;

  private void prepareRaw() throws Exception {
    SecureRandom random = new SecureRandom();
    rawProfiles = new ArrayList<>();
    DataKey dataKey = DataKey.generate(random);
    rawDataKeyId = dataKey.id();
    rawDataKey = dataKey.wrapWith(kek);
    for (int i = 0; i < TestProfiles.NAMES.length; i++) {
      String iccid = "894944" + String.format("%013d", 8_000_000L + i);
      try (UnprotectedProfilePackage upp =
              UnprotectedProfilePackage.parse(
                  TestProfiles.withIccid(TestProfiles.load(TestProfiles.NAMES[i]), iccid));
          ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random);
          SecretBytes packed = PpkCodec.pack(ppks)) {
        ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
        rawProfiles.add(
            new RawProfile(
                ppp,
                iccid,
                kek.wrap(packed, PpkCodec.aad(iccid)),
                dataKey.seal(packed, PpkCodec.aad(iccid, dataKey.id()), random)));
      }
    }
    dataKey.close();
    rawPeers = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      try (OneTimeKeyPair p = OneTimeKeyPair.generate(Curve.P256, random)) {
        rawPeers.add(p.publicKey().toUncompressed());
      }
    }
    rawEid = TestChips.chip(99_999, 1).eid();
  }

  /**
   * The raw crypto of N bindings on THREADS threads; returns operations per second. {@code
   * envelope}: the PPKs are decrypted as the current design needs (data key per chunk); else as the
   * pre-envelope design did (one KEK unwrap in the HSM per binding).
   */
  private double raw(int n, boolean envelope) throws Exception {
    if (rawProfiles == null) {
      prepareRaw();
    }
    HostId hostId = HostId.ofText(bindingProperties.hostId());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    List<Future<?>> parts = new ArrayList<>();
    for (int w = 0; w < THREADS; w++) {
      int share = n / THREADS;
      parts.add(
          pool.submit(
              () -> {
                long sink = 0;
                DataKey dataKey = null;
                for (int i = 0; i < share; i++) {
                  RawProfile p = rawProfiles.get(i % rawProfiles.size());
                  if (envelope && i % CHUNK == 0) {
                    if (dataKey != null) {
                      dataKey.close();
                    }
                    dataKey = DataKey.unwrap(kek, rawDataKeyId, rawDataKey);
                  }
                  try (SecretBytes packed =
                          envelope
                              ? dataKey.open(p.sealed(), PpkCodec.aad(p.iccid(), rawDataKeyId))
                              : kek.unwrap(p.wrapped(), PpkCodec.aad(p.iccid()));
                      ProfileProtectionKeys ppks = PpkCodec.unpack(packed)) {
                    // As BindingWorker: the head only (the stored A3 follows it at dispatch).
                    BoundProfilePackageHead head =
                        BoundProfilePackageBuilder.bind(
                                signer,
                                hostId,
                                rawEid,
                                EcPublicKey.fromUncompressed(
                                    Curve.P256, rawPeers.get(i % rawPeers.size())))
                            .ppkMode(
                                new ProtectedProfilePackage.StoredHead(
                                    p.ppp().iccid(),
                                    p.ppp().profileName().orElse(null),
                                    p.ppp().a3Length()),
                                ppks)
                            .buildHead();
                    sink += head.encode().length;
                  }
                }
                if (dataKey != null) {
                  dataKey.close();
                }
                return sink;
              }));
    }
    for (Future<?> f : parts) {
      f.get();
    }
    pool.shutdown();
    return n / secs(start);
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
