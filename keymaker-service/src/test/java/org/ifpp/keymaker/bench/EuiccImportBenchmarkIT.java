package org.ifpp.keymaker.bench;

import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.crypto.euiccdata.SignedOneTimePublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.signing.SoftwareSigner;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.ifpp.keymaker.testing.TestHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark, not a test (skipped unless {@code -Dkeymaker.bench=true}): eUICC data import (DPFF10)
 * through the API on a warm service. N chips with 4 one-time keys each, made as the demo's EUM
 * makes them (one EUM under the test CI, a certificate and signed keys per chip), are posted in the
 * demo's JSON form and request size, with an Idempotency-Key as the demo sends one, after a warm-up
 * import of other chips ({@link #WARMUP_ROUNDS} rounds of new chips). In the same JVM it measures
 * the primitives the import cannot avoid, on the same number of threads as the service verifies on:
 * per chip the parse of the eUICC certificate and its key, the ECDSA verification of the
 * certificate and of each one-time key's signature; once per EUM its parse and verification. Prints
 * chips/s for both, their ratio, and the CPU per chip of the JVM (by thread) and of PostgreSQL.
 *
 * <pre>
 * ./mvnw -B -o -pl keymaker-service verify -Dit.test=EuiccImportBenchmarkIT -Dtest=NoSuch \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dkeymaker.bench=true [-Dkeymaker.bench.n=10000] \
 *   [-Dkeymaker.bench.pgstats=true -Difpp.test.pg.config=shared_preload_libraries=pg_stat_statements]
 * </pre>
 */
@EnabledIfSystemProperty(named = "keymaker.bench", matches = "true")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"logging.level.org.ifpp=WARN"})
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class EuiccImportBenchmarkIT {

  static final int N = Integer.getInteger("keymaker.bench.n", 10_000);
  static final int KEYS = 4;

  /** Chips per request: the demo's import step posts 500 at a time. */
  static final int REQUEST = Integer.getInteger("keymaker.bench.request", 500);

  /** Chips imported through the API before the timed run (JIT warm-up). */
  static final int WARMUP = Integer.getInteger("keymaker.bench.warmup", 6_000);

  /**
   * Rounds of {@link #WARMUP} new chips imported before the timed run (each round takes the path of
   * the timed run: every chip new and accepted): enough for the JIT compilers to be done before the
   * timed window, as on a service that imports hundreds of thousands of chips. The rounds import
   * other chips rather than delete and import the same again: deleting the tables' rows and
   * analysing them empty left PostgreSQL planning the timed run's lookups for empty tables (3.5 ms
   * of PostgreSQL CPU per chip instead of 0.14, 2026-12-05 12:45).
   */
  static final int WARMUP_ROUNDS = Integer.getInteger("keymaker.bench.warmup.rounds", 4);

  /** Threads of the primitives' baseline: the cores the import may use. */
  static final int THREADS = Integer.getInteger("keymaker.bench.threads", 2);

  static final boolean PG_STATS = Boolean.getBoolean("keymaker.bench.pgstats");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Autowired JdbcTemplate jdbc;

  @Test
  void chipsPerSecond() throws Exception {
    long t = System.nanoTime();
    List<byte[]> chips = generate(WARMUP * WARMUP_ROUNDS + N);
    System.out.printf(
        "BENCH data: %d chips (%d one-time keys each) made in %.1f s%n",
        chips.size(), KEYS, secs(t));
    int warmupChips = WARMUP * WARMUP_ROUNDS;
    List<String> timedBodies = bodies(chips.subList(warmupChips, warmupChips + N));
    List<Chip> parsed = chips.subList(warmupChips, warmupChips + N).stream().map(Chip::of).toList();

    Api api = Api.operator(port);
    for (int round = 0; round < WARMUP_ROUNDS; round++) {
      t = System.nanoTime();
      post(api, bodies(chips.subList(round * WARMUP, (round + 1) * WARMUP)));
      System.out.printf(
          "BENCH warm-up %d/%d: %d chips through the API in %.1f s%n",
          round + 1, WARMUP_ROUNDS, WARMUP, secs(t));
    }
    primitives(parsed, 2); // JIT warm-up of the baseline
    long prim0 = CpuTime.jvmNanos();
    double primRate = primitives(parsed, 1);
    double primCpuUs = (CpuTime.jvmNanos() - prim0) / 1e3 / N;

    long pgPid = jdbc.queryForObject("select pg_backend_pid()", Long.class);
    long postmaster = CpuTime.parentOf(pgPid);
    if (PG_STATS) {
      resetStatements();
    }
    Map<String, Long> threads0 = CpuTime.jvmThreads();
    long jvm0 = CpuTime.jvmNanos();
    long pg0 = CpuTime.postgresNanos(postmaster);
    System.out.println("BENCH timed window starts " + Instant.now());
    long start = System.nanoTime();
    post(api, timedBodies);
    double apiSecs = secs(start);
    System.out.println("BENCH timed window ends " + Instant.now());
    double jvmUs = (CpuTime.jvmNanos() - jvm0) / 1e3 / N;
    double pgUs = (CpuTime.postgresNanos(postmaster) - pg0) / 1e3 / N;
    Map<String, Long> threads1 = CpuTime.jvmThreads();

    double apiRate = N / apiSecs;
    System.out.printf(
        "%nBENCH api: %d chips (%d keys each, %d per request) in %.2f s = %.0f chips/s%n",
        N, KEYS, REQUEST, apiSecs, apiRate);
    System.out.printf(
        "BENCH primitives: %d threads = %.0f chips/s, %.1f us CPU per chip (%s)%n",
        THREADS, primRate, primCpuUs, PRIMITIVES);
    System.out.printf("BENCH ratio api/primitives (chips/s) = %.2f%n", apiRate / primRate);
    System.out.printf(
        "BENCH cpu per chip: JVM %.1f us (service and client) + PostgreSQL %.1f us = %.1f us;"
            + " primitives/api = %.2f%n",
        jvmUs, pgUs, jvmUs + pgUs, primCpuUs / (jvmUs + pgUs));
    CpuTime.printThreadDelta(threads0, threads1, N);
    System.out.printf(
        "BENCH providers: ACCP %s%n",
        org.ifpp.crypto.provider.AccpSupport.provider().isPresent() ? "loaded" : "absent");
    if (PG_STATS) {
      printStatements();
    }
  }

  static final String PRIMITIVES =
      "per chip: eUICC certificate parse (BouncyCastle) and its key decoded, 1 + "
          + KEYS
          + " ECDSA P-256 verifications (certificate under the EUM key, each one-time key's"
          + " signature under the eUICC key) through EcdsaVerification; once: the EUM certificate"
          + " parsed and verified; signed bytes prepared beforehand";

  /** What the primitives need of one chip, extracted before timing. */
  private record Chip(
      byte[] euiccCertificate,
      byte[] eumCertificate,
      byte[] certificateTbs,
      byte[] certificateSignature,
      List<byte[]> keyTbs,
      List<byte[]> keySignatures) {

    static Chip of(byte[] der) {
      EuiccData d = ((EuiccDataParseResult.Parsed) EuiccData.parse(der)).data();
      List<byte[]> tbs = new ArrayList<>();
      List<byte[]> sigs = new ArrayList<>();
      for (SignedOneTimePublicKey k : d.oneTimeKeys()) {
        tbs.add(SignedOneTimePublicKey.tbs(d.eid(), k.keyIndex(), k.publicKey()));
        sigs.add(k.signature());
      }
      byte[][] signed = signed(d.euiccCertificate());
      return new Chip(d.euiccCertificate(), d.eumCertificate(), signed[0], signed[1], tbs, sigs);
    }
  }

  /** A certificate's TBS bytes and its signature as r||s. */
  private static byte[][] signed(byte[] certificate) {
    try {
      Certificate c = Certificate.getInstance(certificate);
      ASN1Sequence sig = ASN1Sequence.getInstance(c.getSignature().getOctets());
      byte[] raw = new byte[64];
      for (int i = 0; i < 2; i++) {
        byte[] v = ASN1Integer.getInstance(sig.getObjectAt(i)).getValue().toByteArray();
        int skip = v[0] == 0 ? 1 : 0;
        System.arraycopy(v, skip, raw, i * 32 + 32 - (v.length - skip), v.length - skip);
      }
      return new byte[][] {c.getTBSCertificate().getEncoded(ASN1Encoding.DER), raw};
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The primitives of all chips on THREADS threads, {@code rounds} times; chips per second. */
  private static double primitives(List<Chip> chips, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      List<Future<Integer>> parts = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        List<Chip> share =
            chips.subList(w * chips.size() / THREADS, (w + 1) * chips.size() / THREADS);
        parts.add(pool.submit(() -> verifyAll(share)));
      }
      for (Future<Integer> f : parts) {
        if (f.get() != 0) {
          throw new AssertionError("a primitive failed");
        }
      }
    }
    pool.shutdown();
    return (double) chips.size() * rounds / secs(start);
  }

  private static int verifyAll(List<Chip> chips) throws Exception {
    int failures = 0;
    // Once per EUM (the chips share one): parse and verify under the CI key.
    byte[][] eumSigned = signed(chips.get(0).eumCertificate());
    EcPublicKey eumKey = key(new X509CertificateHolder(chips.get(0).eumCertificate()));
    if (!EcdsaVerification.verifyRaw(
        TestHsm.CI_CREDENTIAL.publicKey(), eumSigned[0], eumSigned[1])) {
      failures++;
    }
    for (Chip c : chips) {
      X509CertificateHolder euicc = new X509CertificateHolder(c.euiccCertificate());
      EcPublicKey key = key(euicc);
      if (!EcdsaVerification.verifyRaw(eumKey, c.certificateTbs(), c.certificateSignature())) {
        failures++;
      }
      for (int i = 0; i < c.keyTbs().size(); i++) {
        if (!EcdsaVerification.verifyRaw(key, c.keyTbs().get(i), c.keySignatures().get(i))) {
          failures++;
        }
      }
    }
    return failures;
  }

  private static EcPublicKey key(X509CertificateHolder holder) {
    return EcPublicKey.fromUncompressed(
        Curve.P256, holder.getSubjectPublicKeyInfo().getPublicKeyData().getOctets());
  }

  /** The chips' DER records (E1), made on THREADS threads as the EUM makes them. */
  private static List<byte[]> generate(int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<byte[]>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long serial = 700_000L + i;
      futures.add(pool.submit(() -> chip(serial)));
    }
    List<byte[]> out = new ArrayList<>(n);
    for (Future<byte[]> f : futures) {
      out.add(f.get());
    }
    pool.shutdown();
    return out;
  }

  private static byte[] chip(long serial) {
    Eid eid = Eid.withCheckDigits("89049032" + String.format("%022d", serial));
    DevelopmentCredential cert = TestHsm.PKI.issueEuicc(TestChips.EUM, Curve.P256, eid);
    byte[] scalar = new byte[32];
    byte[] s = ((ECPrivateKey) cert.privateKey()).getS().toByteArray();
    int len = Math.min(s.length, 32);
    System.arraycopy(s, s.length - len, scalar, 32 - len, len);
    List<EcPublicKey> keys = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      try (OneTimeKeyPair p = OneTimeKeyPair.generate(Curve.P256, RANDOM)) {
        keys.add(p.publicKey());
      }
    }
    SoftwareSigner signer =
        SoftwareSigner.fromScalar(Curve.P256, SecretBytes.adopt(scalar), RANDOM);
    return EuiccData.produce(
            eid, cert.certificateDer(), TestChips.EUM.certificateDer(), keys, signer)
        .encode();
  }

  /** The JSON request bodies, REQUEST chips each (serialised before the timed window). */
  private static List<String> bodies(List<byte[]> chips) {
    List<String> out = new ArrayList<>();
    for (int from = 0; from < chips.size(); from += REQUEST) {
      List<Map<String, String>> filed = new ArrayList<>();
      for (byte[] der : chips.subList(from, Math.min(chips.size(), from + REQUEST))) {
        EuiccData d = ((EuiccDataParseResult.Parsed) EuiccData.parse(der)).data();
        filed.add(Map.of("eid", d.eid().value(), "data", Base64.getEncoder().encodeToString(der)));
      }
      out.add(JSON.writeValueAsString(Map.of("format", "ifpp-euicc-data/1", "euiccs", filed)));
    }
    return out;
  }

  private static void post(Api api, List<String> bodies) {
    for (String body : bodies) {
      Api.Response r = api.postJson("/api/v1/euicc-data", body, UUID.randomUUID().toString());
      if (r.status() != 200 || r.json().get("rejected").asInt() != 0) {
        throw new AssertionError(r.status() + " " + r.body().substring(0, 400));
      }
    }
  }

  private void resetStatements() {
    try {
      jdbc.execute("create extension if not exists pg_stat_statements");
      jdbc.execute("select pg_stat_statements_reset()");
    } catch (RuntimeException e) {
      System.out.println("BENCH pg_stat_statements unavailable: " + e.getMessage());
    }
  }

  private void printStatements() {
    try {
      jdbc.query(
          "select calls, total_exec_time, rows, wal_bytes,"
              + " left(regexp_replace(query, '\\s+', ' ', 'g'), 120) as q from"
              + " pg_stat_statements order by total_exec_time desc limit 15",
          rs -> {
            System.out.printf(
                "BENCH stmt %7d calls %8.1f ms (%5.1f us/chip) rows %7d wal %9d B | %s%n",
                rs.getLong(1),
                rs.getDouble(2),
                rs.getDouble(2) * 1e3 / N,
                rs.getLong(3),
                rs.getLong(4),
                rs.getString(5));
          });
    } catch (RuntimeException e) {
      System.out.println("BENCH pg_stat_statements unavailable: " + e.getMessage());
    }
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
