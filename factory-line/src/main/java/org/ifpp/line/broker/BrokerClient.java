package org.ifpp.line.broker;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
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
  private final BrokerFailover brokers;
  private final String authorization;
  private final String line;
  private final boolean idempotencyKeys;
  private final Map<String, byte[]> certificates = new ConcurrentHashMap<>();

  /**
   * @param brokers the broker instances this line uses, in its order of preference
   * @param authorization the value of the Authorization header for this line's credential
   * @param line the line's name, sent as X-Line-Id (required by a factory-wide credential, checked
   *     against a line-bound one), or null
   * @param idempotencyKeys send an Idempotency-Key on claims and reports; not needed with this
   *     broker, whose claim and report are idempotent by themselves (a retried claim of the same
   *     line returns the same claim, the same report returns the first answer), and each key costs
   *     the broker a stored record
   */
  public BrokerClient(
      Http http,
      BrokerFailover brokers,
      String authorization,
      String line,
      boolean idempotencyKeys) {
    this.http = http;
    this.brokers = brokers;
    this.authorization = authorization;
    this.line = line;
    this.idempotencyKeys = idempotencyKeys;
  }

  public BrokerClient(
      Http http, URI base, String authorization, String line, boolean idempotencyKeys) {
    this(http, BrokerFailover.single(base), authorization, line, idempotencyKeys);
  }

  public BrokerClient(Http http, URI base, String authorization) {
    this(http, base, authorization, null, true);
  }

  /** The broker instances this line uses. */
  public BrokerFailover brokers() {
    return brokers;
  }

  /** Binding on request through this line's credential (docs/orders.md). */
  public org.ifpp.line.requests.PackageRequestClient packageRequests() {
    return new org.ifpp.line.requests.PackageRequestClient(
        http, brokers.current(), authorization, line);
  }

  /** Bearer authorization header value for a line token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }

  /**
   * Claims the package for {@code eid}.
   *
   * @throws ClaimRefusedException when there is no package for this EID for this line, or it is
   *     already taken, or the answer is unusable for this chip ({@link #INVALID_TRANSACTION_ID},
   *     {@link #INVALID_EID}, {@link #EID_MISMATCH})
   */
  public Claim claim(Eid eid) {
    String key = UUID.randomUUID().toString();
    var body = Json.object().put("eid", eid.value());
    Response response =
        brokers.send(http, base -> post(base, "/api/v1/claims", key).post(Json.body(body)).build());
    int status = response.statusCode();
    if (status == 200 || status == 201) {
      JsonNode node = Json.parse(response.body());
      return new Claim(
          claimedTransaction(eid, status, text(node, "transactionId")),
          claimedEid(eid, status, text(node, "eid")),
          text(node, "batchId"),
          text(node, "leaseExpiresAt"),
          text(node, "packageUrl"),
          text(node, "bindingCertificateUrl"),
          text(node, "bppEuiccOtpk"));
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
   *     already taken, or the answer's transactionId is unusable ({@link #INVALID_TRANSACTION_ID})
   */
  public ClaimedPackage claimWithPackage(Eid eid) {
    String key = UUID.randomUUID().toString();
    var body = Json.object().put("eid", eid.value());
    Response response =
        brokers.send(
            http,
            base ->
                post(base, "/api/v1/claims", key, "application/octet-stream")
                    .post(Json.body(body))
                    .build());
    int status = response.statusCode();
    Optional<String> tx = response.header("X-Transaction-Id");
    if ((status == 200 || status == 201) && tx.isPresent()) {
      Claim claim =
          new Claim(
              claimedTransaction(eid, status, tx.get()),
              eid,
              response.header("X-Batch-Id").orElse(null),
              response.header("X-Lease-Expires-At").orElse(null),
              null,
              response.header("X-Binding-Certificate-Url").orElse(null),
              response.header("X-Bpp-Euicc-Otpk").orElse(null));
      return new ClaimedPackage(claim, response.body());
    }
    if (status == 404 || status == 409 || status == 410) {
      throw new ClaimRefusedException(
          "claim refused for " + eid + ": HTTP " + status, status, Json.problemCode(response));
    }
    throw Json.failure("claim " + eid, response);
  }

  /** Most EIDs in one {@link #claimBatch} call (the broker's limit). */
  public static final int MAX_CLAIM_BATCH = 64;

  /** The media type of the broker's answer to a batch of claims. */
  static final String PACKAGE_BATCH = "application/vnd.ifpp.package-batch";

  /**
   * The broker's answer for one EID of a batch of claims: the claim and its package ({@code status}
   * 200), or the refusal the single claim would have given, with its problem {@code code} (a claim
   * granted with an answer unusable for this chip: status 200, {@link #INVALID_TRANSACTION_ID},
   * {@link #INVALID_EID} or {@link #EID_MISMATCH}, no package).
   */
  public record BatchClaim(Eid eid, int status, String code, ClaimedPackage claimed) {
    public boolean isClaimed() {
      return claimed != null;
    }
  }

  /**
   * Claims and downloads the packages of several chips in one call ({@code POST
   * /api/v1/claims/batch}), each EID with the single claim's semantics ({@link #claimWithPackage}):
   * a claim this line holds comes back again, so the call is safe to repeat and is retried like
   * every call. The answer is binary ({@value #PACKAGE_BATCH}): a 4-byte big-endian length, a JSON
   * header {@code {"claims": [...]}} in request order, then the packages of the claimed entries.
   *
   * @param eids 1 to {@link #MAX_CLAIM_BATCH} distinct EIDs
   * @return one answer per EID, in the same order
   * @throws HttpCallException when the call got no usable answer (no answer, 5xx, or a refusal of
   *     the whole request): then no claim is known to exist
   */
  public List<BatchClaim> claimBatch(List<Eid> eids) {
    if (eids.isEmpty() || eids.size() > MAX_CLAIM_BATCH) {
      throw new IllegalArgumentException("1 to " + MAX_CLAIM_BATCH + " EIDs per call");
    }
    var body = Json.object();
    var items = body.putArray("eids");
    eids.forEach(eid -> items.add(eid.value()));
    byte[] json = Json.body(body);
    Response response =
        brokers.send(
            http,
            base ->
                authorized(http.request(base.resolve("/api/v1/claims/batch")))
                    .header("Content-Type", "application/json")
                    .header("Accept", PACKAGE_BATCH)
                    .post(json)
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("claim of " + eids.size() + " chips", response);
    }
    return parseClaimBatch(eids, response.body());
  }

  static List<BatchClaim> parseClaimBatch(List<Eid> eids, byte[] b) {
    if (b == null || b.length < 4) {
      throw malformedBatch("shorter than its header length");
    }
    long h = ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    if (h < 2 || h > b.length - 4) {
      throw malformedBatch("header length out of range");
    }
    JsonNode claims;
    try {
      claims = Json.parse(Arrays.copyOfRange(b, 4, 4 + (int) h)).get("claims");
    } catch (RuntimeException e) {
      throw malformedBatch("header is not JSON");
    }
    if (claims == null || !claims.isArray() || claims.size() != eids.size()) {
      throw malformedBatch("header does not match the request");
    }
    int at = 4 + (int) h;
    List<BatchClaim> out = new ArrayList<>(eids.size());
    for (int i = 0; i < eids.size(); i++) {
      JsonNode n = claims.get(i);
      Eid eid = eids.get(i);
      int status = n.path("status").asInt(0);
      if (status != 200) {
        out.add(new BatchClaim(eid, status, text(n, "code"), null));
        continue;
      }
      int length = n.path("packageLength").asInt(-1);
      String tx = text(n, "transactionId");
      if (length < 0 || length > b.length - at || tx == null) {
        throw malformedBatch("entry " + i + " has no package");
      }
      TransactionId id = transactionId(tx);
      String unusable = id == null ? INVALID_TRANSACTION_ID : eidRefusal(eid, text(n, "eid"));
      if (unusable != null) {
        // This entry alone is unusable: the others, and where their packages start, are intact.
        out.add(new BatchClaim(eid, status, unusable, null));
        at += length;
        continue;
      }
      Claim claim =
          new Claim(
              id,
              eid,
              text(n, "batchId"),
              text(n, "leaseExpiresAt"),
              null,
              text(n, "bindingCertificateUrl"),
              text(n, "bppEuiccOtpk"));
      out.add(
          new BatchClaim(
              eid, 200, null, new ClaimedPackage(claim, Arrays.copyOfRange(b, at, at + length))));
      at += length;
    }
    if (at != b.length) {
      throw malformedBatch("bytes after the last package");
    }
    return out;
  }

  /**
   * The code of a claim the broker granted with a transactionId that is not 1 to 16 bytes of hex:
   * the line cannot report it, so the chip is not programmed and the lease runs out.
   */
  public static final String INVALID_TRANSACTION_ID = "invalid-transaction-id";

  /**
   * The code of a claim the broker granted naming, as the chip's, something that is not an EID (32
   * digits with valid check digits): the package is not pushed, the lease runs out.
   */
  public static final String INVALID_EID = "invalid-eid";

  /**
   * The code of a claim the broker granted for another chip than the one asked for: its package is
   * bound to that chip, so it is not pushed into this one; the lease runs out.
   */
  public static final String EID_MISMATCH = "eid-mismatch";

  /**
   * The chip of a granted claim: the one asked for; the broker's answer may name it, or nothing.
   */
  private static Eid claimedEid(Eid asked, int status, String answered) {
    String code = eidRefusal(asked, answered);
    if (code != null) {
      throw new ClaimRefusedException(
          "claim of " + asked + " answered HTTP " + status + " for chip " + answered, status, code);
    }
    return asked;
  }

  /**
   * Null when {@code answered} (the EID a granted claim names, or null when it names none) is the
   * chip asked for; otherwise the code of that chip's refusal.
   */
  private static String eidRefusal(Eid asked, String answered) {
    if (answered == null || answered.equals(asked.value())) {
      return null;
    }
    try {
      return Eid.of(answered).equals(asked) ? null : EID_MISMATCH;
    } catch (IllegalArgumentException e) {
      return INVALID_EID;
    }
  }

  /** The broker's transactionId of a granted claim, or the chip's refusal when it is not one. */
  private static TransactionId claimedTransaction(Eid eid, int status, String hex) {
    TransactionId id = transactionId(hex);
    if (id == null) {
      throw new ClaimRefusedException(
          "claim of " + eid + " answered HTTP " + status + " without a valid transactionId",
          status,
          INVALID_TRANSACTION_ID);
    }
    return id;
  }

  private static TransactionId transactionId(String hex) {
    if (hex == null) {
      return null;
    }
    try {
      return TransactionId.fromHex(hex);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static HttpCallException malformedBatch(String why) {
    return new HttpCallException("claim batch answer: " + why, 0, "malformed-answer", null);
  }

  /** The package's bytes (the Bound Profile Package, opaque to the line). */
  public byte[] download(Claim claim) {
    Response response =
        brokers.send(
            http,
            base ->
                get(
                        base,
                        claim.packageUrl() != null
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
        brokers.send(
            http, base -> get(base, path).header("Accept", "application/pkix-cert").build());
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
        brokers.send(
            http,
            base ->
                post(base, "/api/v1/packages/" + claim.transactionId() + "/result", key)
                    .post(Json.body(body))
                    .build());
    int status = response.statusCode();
    if (status != 200 && status != 201 && status != 204) {
      throw Json.failure("report " + claim.transactionId(), response);
    }
  }

  /**
   * Hands the chips' finalisation receipts (the document of {@code
   * finalise.FinalisationRun#receiptsDocument}) to the broker, which keeps them for the Key Maker
   * (docs/finalisation.md). Retried like any report: the broker keeps each receipt once.
   *
   * @return how many the broker kept or already had; the others it refused as malformed
   */
  public int reportFinalisationReceipts(com.fasterxml.jackson.databind.JsonNode receipts) {
    byte[] body = Json.body(receipts);
    Response response =
        brokers.send(
            http,
            base ->
                post(base, "/api/v1/finalisation-receipts", UUID.randomUUID().toString())
                    .post(body)
                    .build());
    if (response.statusCode() != 200) {
      throw Json.failure("reporting finalisation receipts", response);
    }
    int kept = 0;
    for (var n : Json.parse(response.body()).path("receipts")) {
      String outcome = n.path("outcome").asText();
      if ("KEPT".equals(outcome) || "DUPLICATE".equals(outcome)) {
        kept++;
      }
    }
    return kept;
  }

  /**
   * Submits an order's loading report ({@code POST /api/v1/loading-reports}, the report scope)
   * under {@code idempotencyKey}, reused on every retry and on a later submission of the same
   * report: the broker keeps it once and answers again as the first time.
   *
   * @param report the report's JSON ({@code report.LoadingReport#json})
   * @return the broker's id of the stored report
   */
  public long submitLoadingReport(byte[] report, String idempotencyKey) {
    Response response =
        brokers.send(
            http,
            base ->
                authorized(http.request(base.resolve("/api/v1/loading-reports")))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Idempotency-Key", idempotencyKey)
                    .post(report)
                    .build());
    if (response.statusCode() != 202 && response.statusCode() != 200) {
      throw Json.failure("submitting the loading report", response);
    }
    return Json.parse(response.body()).path("reportId").asLong();
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
          .put("transactionId", r.claim().transactionId().toHex())
          .put("outcome", r.installed() ? "installed" : "failed")
          .put("profileInstallationResult", b64.encodeToString(r.pir()));
    }
    byte[] json = Json.body(body);
    Response response =
        brokers.send(
            http,
            base ->
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
      brokers.send(
          http,
          base ->
              post(base, "/api/v1/packages/" + claim.transactionId() + "/release", key)
                  .post()
                  .build());
    } catch (HttpCallException e) {
      // The lease expires on its own; the package returns to AVAILABLE then.
    }
  }

  private Request.Builder get(URI base, String path) {
    return authorized(http.request(base.resolve(path))).get();
  }

  private Request.Builder post(URI base, String path, String idempotencyKey) {
    return post(base, path, idempotencyKey, "application/json");
  }

  private Request.Builder post(URI base, String path, String idempotencyKey, String accept) {
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
