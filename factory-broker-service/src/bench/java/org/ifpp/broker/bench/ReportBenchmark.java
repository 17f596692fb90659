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
 * Load driver (not a test): the broker's CPU and PostgreSQL's CPU per reported result, single
 * reports ({@code POST /packages/{tx}/result}) against batch reports ({@code POST /reports}).
 * Starts the broker in-process on a real PostgreSQL, uploads and claims the packages (not
 * measured), then alternates measured rounds of each kind on fresh packages, after a warm-up round
 * of each. The driver's own threads' CPU is subtracted from the JVM's.
 *
 * <p>Arguments: {@code [perRound=4000] [lines=8] [batch=32] [rounds=2]}.
 */
public final class ReportBenchmark {

  private static final String KEYMAKER = "bench-keymaker-token-0123456789";
  private static final String ADMIN = "bench-admin-token-0123456789";
  private static final AtomicLong CLIENT_CPU = new AtomicLong();

  private record Chip(Eid eid, TransactionId tx, String pirBase64) {}

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    TestPostgres.Database db = TestPostgres.newDatabase("reportbench");
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
      client.put("name", "report-bench");
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
        List<Map<String, Object>> pkgs = new ArrayList<>();
        for (int i = 0; i < perRound; i++) {
          TransactionId tx = TestPackages.transactionId(random);
          Eid eid = TestPackages.eid(random);
          round.add(
              new Chip(
                  eid,
                  tx,
                  TestPackages.b64(TestPackages.installationResult(tx, i % 50 != 0, random))));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("eid", eid.value());
          m.put("transactionId", tx.toHex());
          m.put(
              "boundProfilePackage", TestPackages.b64(TestPackages.boundPackage(tx, 500, random)));
          pkgs.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", "rb-" + r);
        body.put("targetFactory", "F1");
        body.put("bindingCertificate", TestPackages.bindingCertificateBase64());
        body.put("packages", pkgs);
        if (api.post("/api/v1/batches", KEYMAKER, body, "Idempotency-Key", "rb" + r).status()
            != 201) {
          throw new IllegalStateException("upload failed");
        }
        claimAll(port, token, round, lines);
        chips.add(round);
      }
      System.out.printf(
          "%d rounds of %d results, %d lines, batch %d (embedded PostgreSQL: %s)%n",
          roundCount, perRound, lines, batch, TestPostgres.kind());
      long postmaster = ClaimBenchmark.postmasterPid(db);
      for (int r = 0; r < roundCount; r++) {
        int size = r % 2 == 0 ? 1 : batch;
        String label = (r < 2 ? "warm-up " : "") + (size == 1 ? "single" : "batch " + size);
        Thread.sleep(2000); // let the JIT settle between rounds
        long cpu0 = ClaimBenchmark.processCpuNanos();
        long pg0 = ClaimBenchmark.postgresCpuNanos(postmaster);
        CLIENT_CPU.set(0);
        long t0 = System.nanoTime();
        int failures = report(port, token, chips.get(r), lines, size);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long broker = ClaimBenchmark.processCpuNanos() - cpu0 - CLIENT_CPU.get();
        long pg = ClaimBenchmark.postgresCpuNanos(postmaster) - pg0;
        System.out.printf(
            "%-16s %6d results in %5.2f s (%6.0f/s), failures %d: broker %4.0f us, PostgreSQL"
                + " %4.0f us per result%n",
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

  private static void claimAll(int port, String token, List<Chip> chips, int lines)
      throws Exception {
    parallel(
        lines,
        l -> {
          try (RawHttp http = new RawHttp(port)) {
            String head =
                "Authorization: Bearer "
                    + token
                    + "\r\nX-Line-Id: L"
                    + l
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n";
            for (int i = l; i < chips.size(); i += lines) {
              byte[] body =
                  ("{\"eid\":\"" + chips.get(i).eid().value() + "\"}")
                      .getBytes(StandardCharsets.US_ASCII);
              if (http.send("POST", "/api/v1/claims", head, body).status() != 200) {
                throw new IllegalStateException("claim failed");
              }
            }
          }
          return 0;
        });
  }

  /** Line l reports chips l, l + lines, ... in groups of {@code size} (1: the single report). */
  private static int report(int port, String token, List<Chip> chips, int lines, int size)
      throws Exception {
    return parallel(
        lines,
        l -> {
          ThreadMXBean threads = ManagementFactory.getThreadMXBean();
          long cpu0 = threads.getCurrentThreadCpuTime();
          int failures = 0;
          try (RawHttp http = new RawHttp(port)) {
            String head =
                "Authorization: Bearer "
                    + token
                    + "\r\nX-Line-Id: L"
                    + l
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n";
            List<Chip> mine = new ArrayList<>();
            for (int i = l; i < chips.size(); i += lines) {
              mine.add(chips.get(i));
            }
            for (int from = 0; from < mine.size(); from += size) {
              List<Chip> group = mine.subList(from, Math.min(mine.size(), from + size));
              if (size == 1) {
                Chip c = group.get(0);
                byte[] body =
                    ("{\"profileInstallationResult\":\"" + c.pirBase64() + "\"}")
                        .getBytes(StandardCharsets.US_ASCII);
                RawHttp.Response r =
                    http.send("POST", "/api/v1/packages/" + c.tx().toHex() + "/result", head, body);
                failures += r.status() == 200 ? 0 : 1;
              } else {
                StringBuilder sb = new StringBuilder("{\"results\":[");
                for (int k = 0; k < group.size(); k++) {
                  Chip c = group.get(k);
                  sb.append(k == 0 ? "" : ",")
                      .append("{\"transactionId\":\"")
                      .append(c.tx().toHex())
                      .append("\",\"profileInstallationResult\":\"")
                      .append(c.pirBase64())
                      .append("\"}");
                }
                RawHttp.Response r =
                    http.send(
                        "POST",
                        "/api/v1/reports",
                        head,
                        sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII));
                String answer = new String(r.body(), StandardCharsets.US_ASCII);
                int ok = answer.split("\"status\":200", -1).length - 1;
                failures += r.status() == 200 ? group.size() - ok : group.size();
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
