package org.ifpp.keymaker.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real small HTTP server standing in for the factory broker's upload endpoint, with the broker's
 * contract (Bearer token, Idempotency-Key replay, all-or-nothing batches, 409 on a transactionId
 * already stored). It can be down (503) or lose its answer after storing (the hard case for
 * exactly-once delivery). Counts every package it stored and every duplicate it saw.
 */
public final class BrokerStub implements AutoCloseable {

  public static final String TOKEN = "broker-issued-token-for-the-keymaker";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** How the stub answers uploads. */
  public enum Mode {
    UP,
    DOWN,
    /** Store the batch, then answer 503 as if the response was lost; then behave as UP. */
    LOSE_NEXT_ANSWER
  }

  private final HttpServer server;
  private volatile Mode mode = Mode.UP;
  private final Map<String, byte[]> keys = new HashMap<>();
  private final Set<String> stored = new HashSet<>();
  private final Map<String, byte[]> packages = new HashMap<>();
  private final Map<String, String> oneTimeKeys = new HashMap<>();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger replays = new AtomicInteger();
  private final java.util.concurrent.ExecutorService executor =
      java.util.concurrent.Executors.newFixedThreadPool(4);
  private volatile String certificate;

  private BrokerStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/batches", this::upload);
    server.createContext("/api/v1/results", this::results);
    server.createContext("/api/v1/finalisation-receipts", this::receipts);
    server.createContext("/api/v1/loading-reports", this::loadingReports);
    server.setExecutor(executor); // concurrent uploads, as the broker takes them
    server.start();
  }

  /** A stub on a free port of the loopback interface (a failure to bind is unchecked). */
  public static BrokerStub start() {
    try {
      return new BrokerStub();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Points the Key Maker of a test context at this stub, pulling its feeds every 200 ms. */
  public void register(DynamicPropertyRegistry registry) {
    registry.add("keymaker.broker.base-url", this::baseUrl);
    registry.add("keymaker.broker.token", () -> TOKEN);
    registry.add("keymaker.broker.results-interval", () -> "200ms");
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void mode(Mode m) {
    mode = m;
  }

  public synchronized int storedCount() {
    return stored.size();
  }

  /** The bound packages stored so far, by transactionId (hex), as delivered on the wire. */
  public synchronized Map<String, byte[]> storedPackages() {
    return new HashMap<>(packages);
  }

  /**
   * The one-time key each stored package was uploaded with (bppEuiccOtpk, hex as on the wire), by
   * transactionId; an entry without one maps to null.
   */
  public synchronized Map<String, String> storedOneTimeKeys() {
    return new HashMap<>(oneTimeKeys);
  }

  public synchronized Set<String> storedTransactionIds() {
    return new HashSet<>(stored);
  }

  public int duplicates() {
    return duplicates.get();
  }

  public int requests() {
    return requests.get();
  }

  /** Uploads answered from the Idempotency-Key record: a group that was sent more than once. */
  public int replays() {
    return replays.get();
  }

  public String lastCertificate() {
    return certificate;
  }

  private final java.util.List<String> results = new java.util.ArrayList<>();
  private final AtomicInteger pulls = new AtomicInteger();

  /** Queues an installation result for the Key Maker's pull (the broker's export format). */
  public synchronized void addResult(String transactionId, String eid, String pirBase64) {
    int seq = results.size() + 1;
    results.add(
        "{\"sequence\":"
            + seq
            + ",\"transactionId\":\""
            + transactionId
            + "\",\"eid\":\""
            + eid
            + "\",\"batchId\":\"b\",\"outcome\":\"x\",\"profileInstallationResult\":\""
            + pirBase64
            + "\",\"line\":\"line-1\",\"reportedAt\":\"2026-11-27T00:00:00Z\"}");
  }

  private final java.util.List<String> receipts = new java.util.ArrayList<>();

  /** Queues a finalisation receipt for the Key Maker's pull (the broker's feed format). */
  public synchronized void addReceipt(String eid, String receiptBase64) {
    receipts.add(
        "{\"eid\":\"" + eid + "\",\"receipt\":\"" + receiptBase64 + "\",\"line\":\"line-1\"}");
  }

  private void receipts(HttpExchange ex) throws IOException {
    feed(ex, "receipts", receipts);
  }

  private final java.util.List<String> loadingReports = new java.util.ArrayList<>();

  /**
   * Queues a loading report (JSON) a line of {@code factory} submitted, for the Key Maker's pull.
   */
  public synchronized void addLoadingReport(String factory, String orderId, String reportJson) {
    loadingReports.add(
        "{\"id\":"
            + (loadingReports.size() + 1)
            + ",\"orderId\":\""
            + orderId
            + "\",\"factory\":\""
            + factory
            + "\",\"line\":\"L1\",\"report\":"
            + reportJson
            + "}");
  }

  private void loadingReports(HttpExchange ex) throws IOException {
    feed(ex, "reports", loadingReports);
  }

  public int pulls() {
    return pulls.get();
  }

  private void results(HttpExchange ex) throws IOException {
    pulls.incrementAndGet();
    feed(ex, "results", results);
  }

  /**
   * One page of a feed, as the broker's exports answer: the items after the cursor {@code after}
   * (here their index), all of them at once.
   */
  private void feed(HttpExchange ex, String field, java.util.List<String> items)
      throws IOException {
    if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      respond(ex, 401, "{\"code\":\"unauthenticated\"}");
      return;
    }
    String query = ex.getRequestURI().getQuery();
    int after = 0;
    if (query != null) {
      for (String part : query.split("&")) {
        if (part.startsWith("after=")) {
          after = Integer.parseInt(part.substring(6));
        }
      }
    }
    String body;
    synchronized (this) {
      body =
          "{\""
              + field
              + "\":["
              + String.join(",", items.subList(Math.min(after, items.size()), items.size()))
              + "],\"nextCursor\":\""
              + items.size()
              + "\",\"hasMore\":false}";
    }
    respond(ex, 200, body);
  }

  private void upload(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    byte[] body = ex.getRequestBody().readAllBytes();
    if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      respond(ex, 401, "{\"code\":\"unauthenticated\"}");
      return;
    }
    if (mode == Mode.DOWN) {
      respond(ex, 503, "{\"code\":\"unavailable\"}");
      return;
    }
    String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
    if (key == null) {
      respond(ex, 400, "{\"code\":\"missing-idempotency-key\"}");
      return;
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(body);
    } catch (Exception e) {
      throw new IOException(e);
    }
    synchronized (this) {
      if (keys.containsKey(key)) {
        if (!MessageDigest.isEqual(keys.get(key), hash)) {
          respond(ex, 422, "{\"code\":\"idempotency-key-reused\"}");
          return;
        }
        replays.incrementAndGet();
        ex.getResponseHeaders().add("Idempotent-Replayed", "true");
        respond(ex, 201, "{\"batchId\":\"" + key + "\"}");
        return;
      }
      if (!"application/vnd.ifpp.package-batch"
          .equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
        respond(ex, 415, "{\"code\":\"unsupported-media-type\"}");
        return;
      }
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
      int headerLength = in.getInt();
      JsonNode batch = JSON.readTree(java.util.Arrays.copyOfRange(body, 4, 4 + headerLength));
      in.position(4 + headerLength);
      certificate = batch.get("bindingCertificate").asText();
      java.util.List<String> txs = new java.util.ArrayList<>();
      java.util.List<byte[]> bytes = new java.util.ArrayList<>();
      java.util.List<String> otpks = new java.util.ArrayList<>();
      for (JsonNode p : batch.get("packages")) {
        if (p.has("boundProfilePackage")) {
          respond(ex, 400, "{\"code\":\"malformed-batch-body\"}");
          return;
        }
        txs.add(p.get("transactionId").asText());
        otpks.add(p.hasNonNull("bppEuiccOtpk") ? p.get("bppEuiccOtpk").asText() : null);
        bytes.add(nextTlv(in));
      }
      if (in.hasRemaining()) {
        respond(ex, 400, "{\"code\":\"malformed-batch-body\"}");
        return;
      }
      for (String tx : txs) {
        if (stored.contains(tx)) {
          duplicates.incrementAndGet();
          respond(ex, 409, "{\"code\":\"duplicate-transaction-id\"}");
          return;
        }
      }
      for (int i = 0; i < txs.size(); i++) {
        stored.add(txs.get(i));
        packages.put(txs.get(i), bytes.get(i));
        oneTimeKeys.put(txs.get(i), otpks.get(i));
      }
      keys.put(key, hash);
    }
    if (mode == Mode.LOSE_NEXT_ANSWER) {
      mode = Mode.UP;
      respond(ex, 503, "{\"code\":\"gateway-timeout\"}");
      return;
    }
    respond(ex, 201, "{\"batchId\":\"" + key + "\"}");
  }

  /** The BER-TLV (two-byte tag BF36, definite length) at the buffer's position. */
  private static byte[] nextTlv(java.nio.ByteBuffer in) {
    int start = in.position();
    in.get();
    in.get();
    int first = in.get() & 0xFF;
    int length = first;
    if (first > 0x80) {
      length = 0;
      for (int k = 0; k < (first & 0x7F); k++) {
        length = (length << 8) | (in.get() & 0xFF);
      }
    }
    in.position(in.position() + length);
    return java.util.Arrays.copyOfRange(in.array(), start, in.position());
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
