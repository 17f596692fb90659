package org.ifpp.broker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.ifpp.broker.FactoryBrokerApplication;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.TestPackages;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.testsupport.TestPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load driver (not a test): the broker's CPU and PostgreSQL's CPU per claimed package, single
 * claims ({@code POST /claims} with {@code Accept: application/octet-stream}) against batch claims
 * ({@code POST /claims/batch}). Starts the broker in-process on a real PostgreSQL, uploads the
 * packages (not measured), then alternates measured rounds of each kind on fresh packages, after a
 * warm-up round of each. The driver's own threads' CPU is subtracted from the JVM's.
 *
 * <p>Arguments: {@code [perRound=4000] [lines=8] [batch=8] [rounds=2] [packageSize=12000]}.
 */
public final class ClaimBatchBenchmark {

  private static final String KEYMAKER = "bench-keymaker-token-0123456789";
  private static final String ADMIN = "bench-admin-token-0123456789";
  private static final AtomicLong CLIENT_CPU = new AtomicLong();

  private record Chip(Eid eid, TransactionId tx) {}

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int packageSize = args.length > 4 ? Integer.parseInt(args[4]) : 12000;
    TestPostgres.Database db = TestPostgres.newDatabase("claimbatchbench");
    ConfigurableApplicationContext app =
        SpringApplication.run(
            FactoryBrokerApplication.class,
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
            "--ifpp.broker.bootstrap-clients[1].scopes=admin");
    try {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      BrokerClient api = new BrokerClient("http://localhost:" + port);
      Map<String, Object> client = new LinkedHashMap<>();
      client.put("name", "claim-batch-bench");
      client.put("scopes", List.of("claim", "download", "report"));
      client.put("factory", "F1");
      String token =
          api.post("/api/v1/admin/clients", ADMIN, client).json().get("token").asString();

      // Rounds: warm single, warm batch, then (single, batch) x rounds, each on its own chips.
      int roundCount = 2 + 2 * rounds;
      Random random = new Random(7);
      List<List<Chip>> chips = new ArrayList<>();
      for (int r = 0; r < roundCount; r++) {
        List<Chip> round = new ArrayList<>();
        // Uploads of 500 packages: 500 x 12 KB in base64 stays far under the body limit.
        for (int part = 0; part * 500 < perRound; part++) {
          List<Map<String, Object>> pkgs = new ArrayList<>();
          for (int i = part * 500; i < Math.min(perRound, part * 500 + 500); i++) {
            TransactionId tx = TestPackages.transactionId(random);
            Eid eid = TestPackages.eid(random);
            round.add(new Chip(eid, tx));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eid", eid.value());
            m.put("transactionId", tx.toHex());
            m.put(
                "boundProfilePackage",
                TestPackages.b64(TestPackages.boundPackage(tx, packageSize, random)));
            pkgs.add(m);
          }
          String id = "cb-" + r + "-" + part;
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("batchId", id);
          body.put("targetFactory", "F1");
          body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
          body.put("packages", pkgs);
          if (api.post("/api/v1/batches", KEYMAKER, body, "Idempotency-Key", id).status() != 201) {
            throw new IllegalStateException("upload failed");
          }
        }
        chips.add(round);
      }
      System.out.printf(
          "%d rounds of %d claims, %d lines, batch %d, packages of %d bytes (embedded PostgreSQL:"
              + " %s)%n",
          roundCount, perRound, lines, batch, packageSize, TestPostgres.kind());
      long postmaster = ClaimBenchmark.postmasterPid(db);
      for (int r = 0; r < roundCount; r++) {
        int size = r % 2 == 0 ? 1 : batch;
        String label = (r < 2 ? "warm-up " : "") + (size == 1 ? "single" : "batch " + size);
        Thread.sleep(2000); // let the JIT settle between rounds
        long cpu0 = ClaimBenchmark.processCpuNanos();
        long pg0 = ClaimBenchmark.postgresCpuNanos(postmaster);
        CLIENT_CPU.set(0);
        long t0 = System.nanoTime();
        int failures = claim(port, token, chips.get(r), lines, size);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long broker = ClaimBenchmark.processCpuNanos() - cpu0 - CLIENT_CPU.get();
        long pg = ClaimBenchmark.postgresCpuNanos(postmaster) - pg0;
        System.out.printf(
            "%-16s %6d claims in %5.2f s (%6.0f/s), failures %d: broker %4.0f us, PostgreSQL"
                + " %4.0f us per claim%n",
            label,
            perRound,
            seconds,
            perRound / seconds,
            failures,
            broker / 1e3 / perRound,
            pg / 1e3 / perRound);
      }
    } finally {
      app.close();
    }
    System.exit(0);
  }

  /** Line l claims chips l, l + lines, ... in groups of {@code size} (1: the single claim). */
  private static int claim(int port, String token, List<Chip> chips, int lines, int size)
      throws Exception {
    return parallel(
        lines,
        l -> {
          ThreadMXBean threads = ManagementFactory.getThreadMXBean();
          long cpu0 = threads.getCurrentThreadCpuTime();
          int failures = 0;
          try (RawHttp http = new RawHttp(port)) {
            String auth = "Authorization: Bearer " + token + "\r\nX-Line-Id: L" + l + "\r\n";
            String single =
                auth + "Content-Type: application/json\r\nAccept: application/octet-stream\r\n";
            String many =
                auth
                    + "Content-Type: application/json\r\nAccept:"
                    + " application/vnd.ifpp.package-batch\r\n";
            List<Chip> mine = new ArrayList<>();
            for (int i = l; i < chips.size(); i += lines) {
              mine.add(chips.get(i));
            }
            for (int from = 0; from < mine.size(); from += size) {
              List<Chip> group = mine.subList(from, Math.min(mine.size(), from + size));
              if (size == 1) {
                byte[] body =
                    ("{\"eid\":\"" + group.get(0).eid().value() + "\"}")
                        .getBytes(StandardCharsets.US_ASCII);
                RawHttp.Response r = http.send("POST", "/api/v1/claims", single, body);
                failures += r.status() == 200 ? 0 : 1;
              } else {
                StringBuilder sb = new StringBuilder("{\"eids\":[");
                for (int k = 0; k < group.size(); k++) {
                  sb.append(k == 0 ? "\"" : ",\"").append(group.get(k).eid().value()).append('"');
                }
                RawHttp.Response r =
                    http.send(
                        "POST",
                        "/api/v1/claims/batch",
                        many,
                        sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
                int ok = 0;
                if (r.status() == 200) {
                  byte[] b = r.body();
                  int h = java.nio.ByteBuffer.wrap(b).getInt();
                  String header = new String(b, 4, h, StandardCharsets.UTF_8);
                  ok = header.split("\"status\":200", -1).length - 1;
                }
                failures += group.size() - ok;
              }
            }
          } finally {
            CLIENT_CPU.addAndGet(threads.getCurrentThreadCpuTime() - cpu0);
          }
          return failures;
        });
  }

  @FunctionalInterface
  private interface LineTask {
    int run(int line) throws Exception;
  }

  private static int parallel(int lines, LineTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(lines);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int l = 0; l < lines; l++) {
        int line = l;
        fs.add(pool.submit(() -> task.run(line)));
      }
      int sum = 0;
      for (Future<Integer> f : fs) {
        sum += f.get();
      }
      return sum;
    } finally {
      pool.shutdown();
    }
  }
}
