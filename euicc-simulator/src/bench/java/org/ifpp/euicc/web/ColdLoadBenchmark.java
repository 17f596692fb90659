package org.ifpp.euicc.web;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Base64.Decoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataParseResult;
import org.ifpp.euicc.EuiccSimulatorApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: the two halves of the cold-JVM load benchmark that {@code
 * euicc-simulator/scripts/cold-load-bench.sh} runs (docs/euicc-simulator.md, section 6).
 *
 * <ul>
 *   <li>{@code prepare <dir> <chips>}: manufactures a fleet in {@code <dir>/state}, binds one
 *       package per chip and writes them to {@code <dir>/packages.bin} with the trusted CI and the
 *       binding certificate.
 *   <li>{@code send <dir> <port> <threads>}: sends every package, raw, to a simulator started
 *       separately on a copy of that state (the way factory-line sends them: head and body in one
 *       write, keep-alive, one connection per line) and fails unless each chip installs.
 * </ul>
 */
public final class ColdLoadBenchmark {

  private ColdLoadBenchmark() {}

  /** Which one-time key of each chip the packages are bound to ({@code -Dbench.key=N}, 0..3). */
  static final int KEY_INDEX = Integer.getInteger("bench.key", 0);

  /** Whether each load carries its key id ({@code -Dbench.key-id=true}, X-Bpp-Euicc-Otpk). */
  static final boolean WITH_KEY_ID = Boolean.getBoolean("bench.key-id");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("prepare")) {
      prepare(dir, Integer.parseInt(args[2]));
    } else {
      send(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }
  }

  private static void prepare(Path dir, int chips) throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Path ci = dir.resolve("ci.der");
    Files.write(ci, LoadApiIT.CI.certificateDer());
    Files.write(dir.resolve("km.der"), LoadApiIT.KM.certificateDer());
    ConfigurableApplicationContext app =
        new SpringApplicationBuilder(EuiccSimulatorApplication.class)
            .run(
                "--server.port=0",
                "--ifpp.euicc.state-dir=" + state,
                "--ifpp.euicc.trusted-ci-certificates=" + ci,
                "--ifpp.euicc.fsync=false",
                "--logging.level.root=WARN");
    try (DataOutputStream out =
        new DataOutputStream(
            new java.io.BufferedOutputStream(
                Files.newOutputStream(dir.resolve("packages.bin")), 1 << 20))) {
      HttpSupport http =
          new HttpSupport(((WebServerApplicationContext) app).getWebServer().getPort());
      List<String> eids = new ArrayList<>();
      while (eids.size() < chips) {
        int n = Math.min(5000, chips - eids.size());
        http.postJson("/api/v1/chips", Map.of("count", n))
            .json()
            .get("eids")
            .forEach(e -> eids.add(e.asString()));
      }
      out.writeInt(chips);
      Decoder b64 = Base64.getDecoder();
      for (int from = 0; from < chips; from += 1000) {
        List<String> batch = eids.subList(from, Math.min(chips, from + 1000));
        JsonNode exported =
            http.postJson("/api/v1/euicc-data/export", Map.of("eids", batch)).json().get("euiccs");
        for (int i = 0; i < batch.size(); i++) {
          EuiccDataParseResult.Parsed p =
              (EuiccDataParseResult.Parsed)
                  EuiccData.parse(b64.decode(exported.get(i).get("data").asString()));
          var key = p.data().oneTimeKeys().get(KEY_INDEX).publicKey();
          byte[] bpp = LoadApiIT.bind(batch.get(i), key);
          out.writeUTF(batch.get(i));
          out.writeInt(bpp.length);
          out.write(bpp);
          out.writeUTF(org.ifpp.crypto.bpp.BppEuiccOtpk.of(key).toHex());
        }
      }
    } finally {
      app.close();
    }
  }

  private static void send(Path dir, int port, int threads) throws Exception {
    List<String> eids = new ArrayList<>();
    List<byte[]> packages = new ArrayList<>();
    List<String> keyIds = new ArrayList<>();
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(dir.resolve("packages.bin")), 1 << 20))) {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        eids.add(in.readUTF());
        byte[] p = new byte[in.readInt()];
        in.readFully(p);
        packages.add(p);
        keyIds.add(in.readUTF());
      }
    }
    String cert = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("km.der")));
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                Socket s = null;
                try {
                  OutputStream os = null;
                  InputStream is = null;
                  for (int i = next.getAndIncrement();
                      i < eids.size();
                      i = next.getAndIncrement()) {
                    if (s == null) {
                      // Tomcat closes a keep-alive connection after 100 requests, as it does
                      // for the line driver.
                      s = new Socket("localhost", port);
                      s.setTcpNoDelay(true);
                      os = s.getOutputStream();
                      is = new BufferedInputStream(s.getInputStream(), 16384);
                    }
                    byte[] body = packages.get(i);
                    byte[] head =
                        ("POST /api/v1/chips/"
                                + eids.get(i)
                                + "/loads HTTP/1.1\r\nHost: localhost\r\n"
                                + "Content-Type: application/octet-stream\r\n"
                                + "Accept: application/octet-stream\r\n"
                                + "X-Binding-Certificate: "
                                + cert
                                + (WITH_KEY_ID ? "\r\nX-Bpp-Euicc-Otpk: " + keyIds.get(i) : "")
                                + "\r\nContent-Length: "
                                + body.length
                                + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    byte[] req = new byte[head.length + body.length];
                    System.arraycopy(head, 0, req, 0, head.length);
                    System.arraycopy(body, 0, req, head.length, body.length);
                    os.write(req);
                    os.flush();
                    String response = readResponse(is);
                    String lower = response.toLowerCase();
                    if (!response.startsWith("HTTP/1.1 200")
                        || !lower.contains("x-ifpp-result: installed")) {
                      throw new IllegalStateException("load " + i + " failed: " + response);
                    }
                    if (lower.contains("connection: close")) {
                      s.close();
                      s = null;
                    }
                  }
                  if (s != null) {
                    s.close();
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    long wall = System.nanoTime() - t0;
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.get(0));
    }
    System.out.printf(
        "sent %d loads on %d connections: %.2f s wall%n", eids.size(), threads, wall / 1e9);
  }

  /** Reads one response (head and Content-Length body); returns the head. */
  private static String readResponse(InputStream is) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = is.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    is.readNBytes(length);
    return head.toString();
  }
}
