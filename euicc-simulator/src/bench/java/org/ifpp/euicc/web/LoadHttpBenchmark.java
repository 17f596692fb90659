package org.ifpp.euicc.web;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Base64.Decoder;
import java.util.List;
import java.util.Map;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.euicc.EuiccSimulatorApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: whole-package loads over HTTP the way factory-line sends them (raw body, certificate
 * in a header, raw PIR back), one after another, and the CPU the simulator's Tomcat threads spent
 * per install. Arguments: {@code [installs] [warmUp]}; see docs/euicc-simulator.md.
 */
public final class LoadHttpBenchmark {

  private LoadHttpBenchmark() {}

  public static void main(String[] args) throws Exception {
    int installs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    Path state = Files.createTempDirectory("euicc-bench");
    Path ci = state.resolve("trusted-ci.der");
    Files.write(ci, LoadApiIT.CI.certificateDer());
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(EuiccSimulatorApplication.class)
            .properties(
                "server.port=0",
                "ifpp.euicc.state-dir=" + state,
                "ifpp.euicc.trusted-ci-certificates=" + ci,
                "ifpp.euicc.fsync=false",
                "logging.level.root=WARN")
            .run();
    try {
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpSupport http = new HttpSupport(port);
      int total = installs + warmUp;
      List<String> eids = new ArrayList<>();
      while (eids.size() < total) {
        int n = Math.min(5000, total - eids.size());
        http.postJson("/api/v1/chips", Map.of("count", n))
            .json()
            .get("eids")
            .forEach(e -> eids.add(e.asString()));
      }
      List<byte[]> packages = new ArrayList<>();
      Decoder b64 = Base64.getDecoder();
      for (int from = 0; from < total; from += 1000) {
        List<String> batch = eids.subList(from, Math.min(total, from + 1000));
        JsonNode exported =
            http.postJson("/api/v1/euicc-data/export", Map.of("eids", batch)).json().get("euiccs");
        for (int i = 0; i < batch.size(); i++) {
          EuiccDataParseResult.Parsed p =
              (EuiccDataParseResult.Parsed)
                  EuiccData.parse(b64.decode(exported.get(i).get("data").asString()));
          packages.add(LoadApiIT.bind(batch.get(i), p.data().oneTimeKeys().get(0).publicKey()));
        }
      }
      String cert = Base64.getEncoder().encodeToString(LoadApiIT.KM.certificateDer());
      HttpClient client = HttpClient.newHttpClient();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long cpu0 = 0;
      long wall0 = 0;
      for (int i = 0; i < total; i++) {
        if (i == warmUp) {
          cpu0 = tomcatCpu(mx);
          wall0 = System.nanoTime();
        }
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + port + "/api/v1/chips/" + eids.get(i) + "/loads"))
                    .header("Content-Type", "application/octet-stream")
                    .header("Accept", "application/octet-stream")
                    .header("X-Binding-Certificate", cert)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(packages.get(i)))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200
            || !"installed".equals(r.headers().firstValue("X-Ifpp-Result").orElse(""))) {
          throw new IllegalStateException("load " + i + " failed: " + r.statusCode());
        }
      }
      long cpu = tomcatCpu(mx) - cpu0;
      long wall = System.nanoTime() - wall0;
      System.out.printf(
          "installs=%d warmUp=%d: Tomcat-thread CPU %.3f ms/install, wall %.3f ms/install%n",
          installs, warmUp, cpu / 1e6 / installs, wall / 1e6 / installs);
    } finally {
      app.close();
    }
  }

  /** CPU time of the web server's threads (acceptor, poller, workers): the per-request cost. */
  private static long tomcatCpu(ThreadMXBean mx) {
    long sum = 0;
    for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith("http-nio-")) {
        long c = mx.getThreadCpuTime(t.getThreadId());
        sum += Math.max(0, c);
      }
    }
    return sum;
  }
}
