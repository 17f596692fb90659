package org.ifpp.broker.lines;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.ifpp.broker.auth.ApiClient;
import org.ifpp.broker.auth.Scope;
import org.ifpp.broker.structure.PackageStructure;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.broker.web.Headers;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production line's side (IFPP.md section 4 step 5): claim the package of the chip in front of
 * the line, download it and the binding certificate, report the chip's signed result, or release
 * the claim. A line sees only its factory's packages (for any line or for itself): anything else is
 * 404.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "line", description = "claim, download, report, release")
class LineController {

  private static final Pattern TX_HEX = Pattern.compile("[0-9A-Fa-f]{2,32}");
  private static final int MAX_PIR = 16 * 1024;

  /** Most results in one {@code POST /reports}: bounds the statement and the answer's size. */
  static final int MAX_REPORTS = 100;

  /** Most EIDs in one {@code POST /claims/batch}: bounds the statement and the answer's size. */
  static final int MAX_CLAIMS = 64;

  private final ClaimService claims;
  private final ReportService reports;
  private final IdempotencyService idempotency;
  private final ObjectWriter claimBatchWriter;
  private final ObjectReader claimReader;

  LineController(
      ClaimService claims,
      ReportService reports,
      IdempotencyService idempotency,
      JsonMapper mapper) {
    this.claims = claims;
    this.reports = reports;
    this.idempotency = idempotency;
    this.claimBatchWriter = mapper.writerFor(ClaimBatchResponse.class);
    this.claimReader = mapper.readerFor(ClaimRequest.class);
  }

  @PostMapping(path = "/claims", consumes = "application/json", produces = "application/json")
  @Operation(
      summary = "Claim the package for the chip in front of this line",
      description =
          "200 with a lease; 409 package-claimed if another line holds it; 404 if no package for"
              + " this EID is visible to this line. Retrying a claim this line holds returns it"
              + " again (renewing the lease).")
  ResponseEntity<ClaimResponse> claim(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @RequestHeader(name = Headers.IDEMPOTENCY_KEY, required = false) String key,
      @RequestBody ClaimRequest request) {
    client.require(Scope.CLAIM);
    Claimant c = Claimant.of(client, lineId);
    Eid eid = eid(request.eid());
    if (key == null) {
      return ResponseEntity.ok(claims.claim(c, eid));
    }
    return Headers.replayed(
        ResponseEntity.ok(),
        idempotency.execute(
            client.name(),
            key,
            "claim:" + c.line(),
            request,
            ClaimResponse.class,
            () -> claims.claim(c, eid)));
  }

  @PostMapping(
      path = "/claims",
      consumes = "application/json",
      produces = "application/octet-stream")
  @Operation(
      summary = "Claim and download in one call (Accept: application/octet-stream)",
      description =
          "The body is the bound package; the claim is in the headers X-Transaction-Id,"
              + " X-Batch-Id, X-Lease-Expires-At, X-Claim-Count, X-Binding-Certificate-Url and,"
              + " when the Key Maker named it, X-Bpp-Euicc-Otpk (the one-time key it is bound to)."
              + " Needs the claim and download scopes. Same refusals as the JSON form.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = "application/json",
                      schema = @Schema(implementation = ClaimRequest.class))),
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "the bound package, exactly as uploaded",
              content =
                  @Content(
                      mediaType = "application/octet-stream",
                      schema = @Schema(type = "string", format = "binary"))))
  void claimAndDownload(
      @Parameter(hidden = true) ApiClient client,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    // The factory's hot call. The request is read and the answer written here, with the same
    // mapper and the same errors as @RequestBody and ResponseEntity<byte[]>, but without their
    // per-request argument resolution, data binder, content negotiation and header copies (a
    // quarter of the request thread's CPU in a JFR of ClaimBenchmark, 2026-12-05).
    ClaimRequest body = readClaim(request); // first, as the argument it was
    client.require(Scope.CLAIM);
    client.require(Scope.DOWNLOAD);
    Claimant c = Claimant.of(client, request.getHeader(Headers.LINE_ID));
    Eid eid = eid(body.eid());
    String key = request.getHeader(Headers.IDEMPOTENCY_KEY);
    ClaimResponse claim;
    byte[] bpp;
    boolean replayed = false;
    if (key == null) {
      ClaimService.ClaimedPackage claimed = claims.claimWithPackage(c, eid);
      claim = claimed.claim();
      bpp = claimed.boundProfilePackage();
    } else {
      var outcome =
          idempotency.execute(
              client.name(),
              key,
              "claim:" + c.line(),
              body,
              ClaimResponse.class,
              () -> claims.claim(c, eid));
      claim = outcome.body();
      replayed = outcome.replayed();
      bpp = claims.download(c, TransactionId.fromHex(claim.transactionId()));
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader("X-Transaction-Id", claim.transactionId());
    response.setHeader("X-Batch-Id", claim.batchId());
    response.setHeader("X-Lease-Expires-At", claim.leaseExpiresAt().toString());
    response.setHeader("X-Claim-Count", Integer.toString(claim.claimCount()));
    response.setHeader("X-Binding-Certificate-Url", claim.bindingCertificateUrl());
    if (claim.bppEuiccOtpk() != null) {
      response.setHeader("X-Bpp-Euicc-Otpk", claim.bppEuiccOtpk());
    }
    if (replayed) {
      response.setHeader(Headers.IDEMPOTENT_REPLAYED, "true");
    }
    response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
    response.setContentLength(bpp.length);
    response.getOutputStream().write(bpp);
  }

  /** The claim's JSON body, read as {@code @RequestBody} would read it (the same errors). */
  private ClaimRequest readClaim(HttpServletRequest request) throws IOException {
    ClaimRequest body;
    try (InputStream in = request.getInputStream()) {
      body = claimReader.readValue(in);
    } catch (JacksonException e) {
      throw new HttpMessageNotReadableException(
          "JSON parse error", e, new ServletServerHttpRequest(request));
    }
    if (body == null) { // an empty body
      throw new HttpMessageNotReadableException(
          "Required request body is missing", new ServletServerHttpRequest(request));
    }
    return body;
  }

  @PostMapping(
      path = "/claims/batch",
      consumes = "application/json",
      produces = ClaimBatchResponse.MEDIA_TYPE)
  @Operation(
      summary = "Claim and download the packages of the next chips in one call",
      description =
          "Body {\"eids\": [...]}, 1 to "
              + MAX_CLAIMS
              + " EIDs. Each EID is claimed exactly as POST /claims with Accept:"
              + " application/octet-stream would claim it (a claim this line holds is returned"
              + " again with its lease renewed). The answer is 200 "
              + ClaimBatchResponse.MEDIA_TYPE
              + ": a 4-byte big-endian length, a JSON header {\"claims\": [...]} with one entry"
              + " per EID in request order (status 200 with transactionId, batchId,"
              + " leaseExpiresAt, claimCount, bindingCertificateUrl, packageLength, bppEuiccOtpk"
              + " when named; or the single"
              + " claim's refusal as status, code and detail: 400 invalid-eid, 404"
              + " package-not-found, 409 package-claimed, package-reported, package-purged), then"
              + " the packages of the status 200 entries, exactly as uploaded, in the header's"
              + " order. An EID already earlier in the same request is 400 duplicate-in-batch. A"
              + " refused EID never affects the others. Whole-request problems are problem+json:"
              + " 400 malformed-json, no-eids (empty), too-many-eids (over "
              + MAX_CLAIMS
              + "), 401, 403, 413. Needs the claim and download scopes; no Idempotency-Key (a"
              + " claim is safe to repeat by the same line).")
  ResponseEntity<byte[]> claimBatch(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @RequestBody ClaimBatchRequest request) {
    client.require(Scope.CLAIM);
    client.require(Scope.DOWNLOAD);
    Claimant c = Claimant.of(client, lineId);
    List<String> items = request.eids();
    if (items == null || items.isEmpty()) {
      throw new DomainException(BrokerError.NO_EIDS, "eids: at least one EID");
    }
    if (items.size() > MAX_CLAIMS) {
      throw new DomainException(
          BrokerError.TOO_MANY_EIDS, "eids: at most " + MAX_CLAIMS + " per request");
    }
    int n = items.size();
    ClaimBatchResponse.Item[] answers = new ClaimBatchResponse.Item[n];
    List<Eid> valid = new ArrayList<>(n);
    int[] validAt = new int[n];
    Set<Eid> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String text = items.get(i);
      try {
        Eid eid = eid(text);
        if (!seen.add(eid)) {
          throw new DomainException(
              BrokerError.DUPLICATE_IN_BATCH, "this EID is already earlier in this request");
        }
        validAt[valid.size()] = i;
        valid.add(eid);
      } catch (DomainException e) {
        answers[i] = ClaimBatchResponse.Item.refused(text, e);
      }
    }
    List<ClaimService.BatchAnswer> done = claims.claimAllWithPackage(c, valid);
    byte[][] packages = new byte[n][];
    int total = 0;
    for (int k = 0; k < done.size(); k++) {
      ClaimService.BatchAnswer a = done.get(k);
      int i = validAt[k];
      if (a.claimed() != null) {
        answers[i] = ClaimBatchResponse.Item.claimed(items.get(i), a.claimed());
        packages[i] = a.claimed().boundProfilePackage();
        total += packages[i].length;
      } else {
        answers[i] = ClaimBatchResponse.Item.refused(items.get(i), a.refusal());
      }
    }
    byte[] header = claimBatchWriter.writeValueAsBytes(new ClaimBatchResponse(List.of(answers)));
    ByteBuffer body = ByteBuffer.allocate(4 + header.length + total);
    body.putInt(header.length).put(header);
    for (byte[] p : packages) {
      if (p != null) {
        body.put(p);
      }
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(ClaimBatchResponse.MEDIA_TYPE))
        .body(body.array());
  }

  @GetMapping(path = "/packages/{transactionId}", produces = "application/octet-stream")
  @Operation(
      summary = "Download the bound package (exact bytes as uploaded)",
      description = "Only for the line holding a live claim; 409 lease-expired otherwise.")
  byte[] download(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @PathVariable String transactionId) {
    client.require(Scope.DOWNLOAD);
    return claims.download(Claimant.of(client, lineId), tx(transactionId));
  }

  @GetMapping(
      path = "/packages/{transactionId}/binding-certificate",
      produces = "application/pkix-cert")
  @Operation(summary = "The Key Maker's binding certificate (DER) for this package's batch")
  byte[] bindingCertificate(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @PathVariable String transactionId) {
    client.require(Scope.DOWNLOAD);
    return claims.bindingCertificate(Claimant.of(client, lineId), tx(transactionId));
  }

  @PostMapping(
      path = "/packages/{transactionId}/result",
      consumes = "application/json",
      produces = "application/json")
  @Operation(
      summary = "Report the chip's signed installation result",
      description =
          "Only the last line to claim the package may report. Every distinct signed result is"
              + " kept and exported to the Key Maker, which verifies it and decides (the broker"
              + " checks the structure and transactionId only, it cannot verify the chip's"
              + " signature): a later result for a reported package is 200, never blocked by an"
              + " earlier one. The same signed bytes again return the first answer. Optional eid"
              + " must be the package's (400 eid-mismatch); 409 too-many-reports past "
              + ReportRepository.MAX_PER_PACKAGE
              + " distinct results.")
  ResponseEntity<ReportResponse> report(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @RequestHeader(name = Headers.IDEMPOTENCY_KEY, required = false) String key,
      @PathVariable String transactionId,
      @RequestBody ReportRequest request) {
    CheckedReport r = checkReport(client, lineId, transactionId, request);
    if (key == null) {
      return ResponseEntity.ok(reports.report(r.claimant(), r.report()));
    }
    return Headers.replayed(
        ResponseEntity.ok(),
        idempotency.execute(
            client.name(),
            key,
            "report:" + r.report().tx().toHex(),
            request,
            ReportResponse.class,
            () -> reports.report(r.claimant(), r.report())));
  }

  @PostMapping(path = "/reports", consumes = "application/json", produces = "application/json")
  @Operation(
      summary = "Report several chips' signed installation results in one call",
      description =
          "Body {\"results\": [{transactionId, outcome?, profileInstallationResult}, ...]}, 1 to "
              + MAX_REPORTS
              + " items. Each item is handled exactly as POST /packages/{transactionId}/result"
              + " would handle it (same checks in the same order, same idempotency: the same result"
              + " again is answered like the first time, a different one is kept too). The answer"
              + " is 200 with one entry per item, in request order: status 200 with outcome and"
              + " reportedAt, or the single report's refusal as status, code and detail (400"
              + " invalid-transaction-id, invalid-eid, eid-mismatch, malformed-base64,"
              + " malformed-pir, pir-transaction-mismatch, invalid-outcome, outcome-mismatch; 404"
              + " package-not-found; 409 package-reported, not-claim-holder, too-many-reports,"
              + " package-purged). A transactionId already valid earlier in the same request is"
              + " 400 duplicate-in-batch; a null item 400 invalid-item. A refused item never"
              + " affects the others. Whole-request problems are problem+json: 400 malformed-json,"
              + " no-results (empty), too-many-results (over "
              + MAX_REPORTS
              + "), 401, 403, 413. Needs the report scope; no Idempotency-Key (each item is"
              + " idempotent by itself).")
  ReportBatchResponse reportBatch(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @RequestBody ReportBatchRequest request) {
    client.require(Scope.REPORT);
    Claimant c = Claimant.of(client, lineId);
    List<ReportBatchRequest.Item> items = request.results();
    if (items == null || items.isEmpty()) {
      throw new DomainException(BrokerError.NO_RESULTS, "results: at least one item");
    }
    if (items.size() > MAX_REPORTS) {
      throw new DomainException(
          BrokerError.TOO_MANY_RESULTS, "results: at most " + MAX_REPORTS + " items per request");
    }
    int n = items.size();
    ReportBatchResponse.Item[] answers = new ReportBatchResponse.Item[n];
    List<ReportService.Report> valid = new ArrayList<>(n);
    int[] validAt = new int[n];
    Set<TransactionId> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ReportBatchRequest.Item item = items.get(i);
      if (item == null) {
        answers[i] =
            ReportBatchResponse.Item.refused(
                null, new DomainException(BrokerError.INVALID_ITEM, "results[" + i + "] is null"));
        continue;
      }
      try {
        CheckedReport r =
            checkItem(
                c,
                item.transactionId(),
                item.eid(),
                item.outcome(),
                item.profileInstallationResult());
        if (!seen.add(r.report().tx())) {
          throw new DomainException(
              BrokerError.DUPLICATE_IN_BATCH,
              "this transactionId is already earlier in this request");
        }
        validAt[valid.size()] = i;
        valid.add(r.report());
      } catch (DomainException e) {
        answers[i] = ReportBatchResponse.Item.refused(item.transactionId(), e);
      }
    }
    List<ReportService.Answer> done = reports.reportAll(c, valid);
    for (int k = 0; k < done.size(); k++) {
      ReportService.Answer a = done.get(k);
      int i = validAt[k];
      answers[i] =
          a.reported() != null
              ? ReportBatchResponse.Item.reported(a.reported())
              : ReportBatchResponse.Item.refused(items.get(i).transactionId(), a.refusal());
    }
    return new ReportBatchResponse(Arrays.asList(answers));
  }

  /** A report that passed every check before the statement. */
  record CheckedReport(Claimant claimant, ReportService.Report report) {}

  /**
   * The report's checks, in this order: scope, line, transactionId, base64, the signed result's
   * structure and transactionId, outcome.
   */
  static CheckedReport checkReport(
      ApiClient client, String lineId, String transactionId, ReportRequest request) {
    client.require(Scope.REPORT);
    Claimant c = Claimant.of(client, lineId);
    return checkItem(
        c, transactionId, request.eid(), request.outcome(), request.profileInstallationResult());
  }

  /**
   * The per-package part of {@link #checkReport} (after scope and line), shared with {@link
   * #reportBatch}: transactionId, EID (when given), base64, the signed result's structure and
   * transactionId, outcome. What the broker cannot check (the chip's signature) is the Key Maker's.
   */
  static CheckedReport checkItem(
      Claimant c, String transactionId, String eid, String declaredOutcome, String base64Pir) {
    TransactionId tx = tx(transactionId);
    Eid named = eid == null ? null : eid(eid);
    byte[] pir = pir(base64Pir);
    boolean success = PackageStructure.checkInstallationResult(pir, tx);
    return new CheckedReport(
        c,
        new ReportService.Report(
            tx, named, ReportService.Outcome.of(success, declaredOutcome), pir));
  }

  @PostMapping(path = "/packages/{transactionId}/release", produces = "application/json")
  @Operation(
      summary = "Give a claim back (only if the package never reached the chip)",
      description = "Idempotent.")
  ReleaseResponse release(
      @Parameter(hidden = true) ApiClient client,
      @RequestHeader(name = Headers.LINE_ID, required = false) String lineId,
      @PathVariable String transactionId) {
    client.require(Scope.RELEASE);
    return claims.release(Claimant.of(client, lineId), tx(transactionId));
  }

  static Eid eid(String text) {
    try {
      return Eid.of(text);
    } catch (IllegalArgumentException e) {
      throw new DomainException(BrokerError.INVALID_EID, "eid: " + e.getMessage());
    }
  }

  static TransactionId tx(String hex) {
    if (hex == null || !TX_HEX.matcher(hex).matches() || hex.length() % 2 != 0) {
      throw new DomainException(
          BrokerError.INVALID_TRANSACTION_ID, "transactionId: 1 to 16 bytes as hex digits");
    }
    return TransactionId.fromHex(hex);
  }

  private static byte[] pir(String base64) {
    if (base64 == null || base64.isEmpty()) {
      throw new DomainException(
          BrokerError.MALFORMED_BASE64, "profileInstallationResult is required (base64)");
    }
    if (base64.length() > MAX_PIR * 4 / 3 + 4) {
      throw new DomainException(
          BrokerError.MALFORMED_PIR, "profileInstallationResult is too large");
    }
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new DomainException(
          BrokerError.MALFORMED_BASE64, "profileInstallationResult: not valid base64");
    }
  }
}
