package org.ifpp.line.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.HttpCallException;
import org.ifpp.line.http.Json;
import org.ifpp.line.http.Request;
import org.ifpp.line.http.Response;

/**
 * A production line's client of the factory broker (docs/factory-broker.md): claim the package of
 * the chip in front of the line, download it and its batch's binding certificate, report the chip's
 * signed result, release a claim the line cannot finish.
 *
 * <p>Retry semantics: downloads are reads; claim, report and release are POSTs sent with one
 * Idempotency-Key per logical call, reused on every retry, so a retry after a timeout gets the
 * first answer instead of a second claim or a second report. A package that reaches a chip twice is
 * harmless: the chip consumed the one-time key the first time (IFPP.md section 6, step 5).
 *
 * <p>Results can also go in groups ({@link #reportBatch}): one request and one broker transaction
 * for many chips, each answered as its own report.
 *
 * <p>All paths and field names of the broker's contract are in this class and nowhere else.
 */
public final class BrokerClient {

  private final Http http;
  private final URI base;
  private final String authorization;
  private final String line;
  private final boolean idempotencyKeys;
  private final Map<String, byte[]> certificates = new ConcurrentHashMap<>();

  /**
   * @param base the broker's base URL
   * @param authorization the value of the Authorization header for this line's credential
   * @param line the line's name, sent as X-Line-Id (required by a factory-wide credential, checked
   *     against a line-bound one), or null
   * @param idempotencyKeys send an Idempotency-Key on claims and reports; not needed with this
   *     broker, whose claim and report are idempotent by themselves (a retried claim of the same
   *     line returns the same claim, the same report returns the first answer), and each key costs
   *     the broker a stored record
   */
  public BrokerClient(
      Http http, URI base, String authorization, String line, boolean idempotencyKeys) {
    this.http = http;
    this.base = base;
    this.authorization = authorization;
    this.line = line;
    this.idempotencyKeys = idempotencyKeys;
  }

  public BrokerClient(Http http, URI base, String authorization) {
    this(http, base, authorization, null, true);
  }

  /** Bearer authorization header value for a line token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /**
   * Claims the package for {@code eid}.
   *
   * @throws ClaimRefusedException when there is no package for this EID for this line, or it is
   *     already taken
   */
  public Claim claim(String eid) {
    String key = UUID.randomUUID().toString();
    var body = Json.object().put("eid", eid);
    Response response = http.send(() -> post("/api/v1/claims", key).post(Json.body(body)).build());
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      JsonNode node = Json.parse(response.body());
      String tx = text(node, "transactionId");
      return new Claim(
          tx,
          eid,
          text(node, "batchId"),
          text(node, "leaseExpiresAt"),
          text(node, "packageUrl"),
          text(node, "bindingCertificateUrl"));
    }
    if (status == 404 || status == 409 || status == 410) {
      throw new ClaimRefusedException(
          "claim refused for " + eid + ": HTTP " + status, status, Json.problemCode(response));
    }
    throw Json.failure("claim " + eid, response);
  }

  /** A claim and its package's bytes, from one call. */
  public record ClaimedPackage(Claim claim, byte[] boundPackage) {}

  /**
   * Claims the package for {@code eid} and downloads it in the same call (the broker's {@code POST
   * /claims} with {@code Accept: application/octet-stream}: body = the package, the claim in
   * headers). Same retry semantics as {@link #claim}: a retried claim of the same line gets the
   * same package back. One round trip and one broker request fewer per chip than claim + download.
   *
   * @throws ClaimRefusedException when there is no package for this EID for this line, or it is
   *     already taken
   */
  public ClaimedPackage claimWithPackage(String eid) {
    String key = UUID.randomUUID().toString();
    var body = Json.object().put("eid", eid);
    Response response =
        http.send(
            () ->
                post("/api/v1/claims", key, "application/octet-stream")
                    .post(Json.body(body))
                    .build());
    int status = response.statusCode();
    Optional<String> tx = response.header("X-Transaction-Id");
    if ((status == 200 || status == 201) && tx.isPresent()) {
      Claim claim =
          new Claim(
              tx.get(),
              eid,
              response.header("X-Batch-Id").orElse(null),
              response.header("X-Lease-Expires-At").orElse(null),
              null,
              response.header("X-Binding-Certificate-Url").orElse(null));
      return new ClaimedPackage(claim, response.body());
    }
    if (status == 404 || status == 409 || status == 410) {
      throw new ClaimRefusedException(
          "claim refused for " + eid + ": HTTP " + status, status, Json.problemCode(response));
    }
    throw Json.failure("claim " + eid, response);
  }

  /** The package's bytes (the Bound Profile Package, opaque to the line). */
  public byte[] download(Claim claim) {
    Response response =
        http.send(
            () ->
                get(claim.packageUrl() != null
                        ? claim.packageUrl()
                        : "/api/v1/packages/" + claim.transactionId())
                    .header("Accept", "application/octet-stream")
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("download " + claim.transactionId(), response);
    }
    return response.body();
  }

  /**
   * The Key Maker's binding certificate (DER) of the claim's batch, fetched once per batch and
   * cached: the chip needs it to check the package's signature (IFPP.md section 6, step 2).
   */
  public byte[] bindingCertificate(Claim claim) {
    String batch = claim.batchId() == null ? "" : claim.batchId();
    return certificates.computeIfAbsent(batch, b -> fetchCertificate(claim));
  }

  private byte[] fetchCertificate(Claim claim) {
    String path =
        claim.certificateUrl() != null
            ? claim.certificateUrl()
            : "/api/v1/packages/" + claim.transactionId() + "/binding-certificate";
    Response response =
        http.send(() -> get(path).header("Accept", "application/pkix-cert").build());
    if (response.statusCode() != 200) {
      throw Json.failure("certificate of " + claim.transactionId(), response);
    }
    return response.body();
  }

  /**
   * Reports the chip's signed Profile Installation Result. 200/201 and a repeated report of the
   * same result (409 with the same bytes already stored) are success.
   */
  public void report(Claim claim, boolean installed, byte[] pir) {
    String key = UUID.randomUUID().toString();
    var body =
        Json.object()
            .put("outcome", installed ? "installed" : "failed")
            .put("profileInstallationResult", Base64.getEncoder().encodeToString(pir));
    Response response =
        http.send(
            () ->
                post("/api/v1/packages/" + claim.transactionId() + "/result", key)
                    .post(Json.body(body))
                    .build());
    int status = response.statusCode();
    if (status != 200 && status != 201 && status != 204) {
      throw Json.failure("report " + claim.transactionId(), response);
    }
  }

  /** Most results in one {@link #reportBatch} call (the broker's limit). */
  public static final int MAX_REPORT_BATCH = 100;

  /** One chip's signed result for {@link #reportBatch}. */
  public record Result(Claim claim, boolean installed, byte[] pir) {}

  /**
   * The broker's answer to one result of a batch: {@code status} 200 when it is recorded (or was
   * already, with the same bytes), otherwise the refusal the single report would have given, with
   * its problem {@code code}.
   */
  public record ResultAnswer(int status, String code) {
    public boolean recorded() {
      return status == 200;
    }
  }

  /**
   * Reports several chips' signed results in one call ({@code POST /api/v1/reports}), each with the
   * single report's semantics. Retried like every call (no Idempotency-Key: each result is
   * idempotent by itself, the same result again is answered like the first time).
   *
   * @param results 1 to {@link #MAX_REPORT_BATCH} results of distinct packages
   * @return one answer per result, in the same order
   * @throws HttpCallException when the call got no usable answer (no answer, 5xx, or a refusal of
   *     the whole request): then none of the results is known to be recorded
   */
  public List<ResultAnswer> reportBatch(List<Result> results) {
    if (results.isEmpty() || results.size() > MAX_REPORT_BATCH) {
      throw new IllegalArgumentException("1 to " + MAX_REPORT_BATCH + " results per call");
    }
    var body = Json.object();
    var items = body.putArray("results");
    Base64.Encoder b64 = Base64.getEncoder();
    for (Result r : results) {
      items
          .addObject()
          .put("transactionId", r.claim().transactionId())
          .put("outcome", r.installed() ? "installed" : "failed")
          .put("profileInstallationResult", b64.encodeToString(r.pir()));
    }
    byte[] json = Json.body(body);
    Response response =
        http.send(
            () ->
                authorized(http.request(base.resolve("/api/v1/reports")))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .post(json)
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("report of " + results.size() + " results", response);
    }
    JsonNode answers = Json.parse(response.body()).get("results");
    if (answers == null || !answers.isArray() || answers.size() != results.size()) {
      throw new HttpCallException("report answer does not match the request", 0, null, null);
    }
    List<ResultAnswer> out = new ArrayList<>(answers.size());
    for (JsonNode a : answers) {
      out.add(new ResultAnswer(a.path("status").asInt(0), text(a, "code")));
    }
    return out;
  }

  /** Gives the package back (the chip was not programmed); best effort. */
  public void release(Claim claim) {
    String key = UUID.randomUUID().toString();
    try {
      http.send(
          () -> post("/api/v1/packages/" + claim.transactionId() + "/release", key).post().build());
    } catch (HttpCallException e) {
      // The lease expires on its own; the package returns to AVAILABLE then.
    }
  }

  private Request.Builder get(String path) {
    return authorized(http.request(base.resolve(path))).get();
  }

  private Request.Builder post(String path, String idempotencyKey) {
    return post(path, idempotencyKey, "application/json");
  }

  private Request.Builder post(String path, String idempotencyKey, String accept) {
    Request.Builder b =
        authorized(http.request(base.resolve(path)))
            .header("Content-Type", "application/json")
            .header("Accept", accept);
    return idempotencyKeys ? b.header("Idempotency-Key", idempotencyKey) : b;
  }

  private Request.Builder authorized(Request.Builder b) {
    b.header("Authorization", authorization);
    return line == null ? b : b.header("X-Line-Id", line);
  }

  private static String text(JsonNode node, String... names) {
    for (String name : names) {
      if (node.hasNonNull(name)) {
        return node.get(name).asText();
      }
    }
    return null;
  }
}
