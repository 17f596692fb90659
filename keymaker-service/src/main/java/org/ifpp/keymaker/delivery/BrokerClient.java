package org.ifpp.keymaker.delivery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * The factory broker's Key Maker API (factory-broker-service: {@code POST /api/v1/batches} in its
 * binary form, {@code GET /api/v1/results}), over HTTPS (the broker's certificate checked against
 * the configured CA, host name included) with the broker-issued Bearer token. The broker is
 * untrusted: it only ever receives opaque bound packages and the public binding certificate.
 */
public class BrokerClient {

  private final BrokerProperties properties;
  private final HttpClient http;
  private final JsonMapper json;

  public BrokerClient(BrokerProperties properties, JsonMapper json) {
    this(properties, json, null);
  }

  /**
   * @param tls the TLS context (trusted CA, client certificate), or null for the JDK's default
   */
  public BrokerClient(BrokerProperties properties, JsonMapper json, SSLContext tls) {
    this.properties = properties;
    this.json = json;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(properties.timeout());
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  /**
   * The upload's header (the broker's UploadBatchRequest without the packages' bytes, which follow
   * it raw in the binary form).
   */
  public record UploadBatch(
      String batchId,
      String targetFactory,
      String targetLine,
      String bindingCertificate,
      List<PackageUpload> packages) {}

  /**
   * One package of an upload: its routing fields (on the wire the EID's digits and the
   * transactionId's upper-case hex), the one-time key it is bound to, and its bytes (not part of
   * the header).
   *
   * @param bppEuiccOtpk SGP.22's bppEuiccOtpk: otPK.EUICC (04||X||Y) that the package's smdpSign
   *     names, public; the broker relays it with every claim so that the chip tries only that key.
   *     On the wire upper-case hex.
   */
  public record PackageUpload(
      @JsonSerialize(using = ToStringSerializer.class) Eid eid,
      @JsonSerialize(using = ToStringSerializer.class) TransactionId transactionId,
      String targetLine,
      @JsonSerialize(using = HexSerializer.class) byte[] bppEuiccOtpk,
      @JsonIgnore byte[] boundProfilePackage) {}

  /** Bytes as upper-case hex (Jackson's default for byte[] is base64). */
  static final class HexSerializer extends tools.jackson.databind.ser.std.StdSerializer<byte[]> {
    HexSerializer() {
      super(byte[].class);
    }

    @Override
    public void serialize(
        byte[] value,
        tools.jackson.core.JsonGenerator gen,
        tools.jackson.databind.SerializationContext ctxt) {
      gen.writeString(HexFormat.of().withUpperCase().formatHex(value));
    }
  }

  /** The broker's binary upload form: no base64 of 3 MB per upload on either side. */
  static final String PACKAGE_BATCH = "application/vnd.ifpp.package-batch";

  /** How an upload ended. */
  public enum UploadOutcome {
    /** Stored (or stored earlier under the same Idempotency-Key). */
    STORED,
    /** The broker or the network failed: retry later with the same key and body. */
    RETRY,
    /** The broker refused the content: retrying the same body cannot succeed. */
    REJECTED
  }

  /** The result of an upload, with the broker's answer for the logs. */
  public record UploadResult(UploadOutcome outcome, int status, String body) {}

  /** Uploads one batch with {@code idempotencyKey}; never throws for broker or network failures. */
  public UploadResult upload(UploadBatch batch, String idempotencyKey) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(properties.baseUrl() + "/api/v1/batches"))
              .timeout(properties.timeout())
              .header("Authorization", "Bearer " + properties.token())
              .header("Content-Type", PACKAGE_BATCH)
              .header("Idempotency-Key", idempotencyKey)
              .POST(HttpRequest.BodyPublishers.ofByteArray(binary(batch)))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int s = response.statusCode();
      String body = abbreviate(response.body());
      if (s >= 200 && s < 300) {
        return new UploadResult(UploadOutcome.STORED, s, body);
      }
      if (s >= 500 || s == 408 || s == 429 || s == 401 || s == 403 || s == 409) {
        // 409 idempotency-key-in-use: the first attempt is still running on the broker.
        return new UploadResult(UploadOutcome.RETRY, s, body);
      }
      return new UploadResult(UploadOutcome.REJECTED, s, body);
    } catch (IOException e) {
      return new UploadResult(UploadOutcome.RETRY, 0, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new UploadResult(UploadOutcome.RETRY, 0, "interrupted");
    }
  }

  /**
   * The binary form: a 4-byte big-endian header length, the JSON header, then each package's bytes
   * (a BF36 TLV) in the header's order.
   */
  byte[] binary(UploadBatch batch) {
    byte[] header = json.writeValueAsBytes(batch);
    int size = 4 + header.length;
    for (PackageUpload p : batch.packages()) {
      size += p.boundProfilePackage().length;
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    body.putInt(header.length).put(header);
    batch.packages().forEach(p -> body.put(p.boundProfilePackage()));
    return body.array();
  }

  /** One page of results (the broker's ResultExportResponse). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ResultPage(List<ResultItem> results, String nextCursor, boolean hasMore) {}

  /** One reported installation result. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ResultItem(
      long sequence,
      String transactionId,
      String eid,
      String batchId,
      String outcome,
      String profileInstallationResult,
      String line) {}

  /** Results after {@code cursor} (null for the start). */
  public ResultPage results(String cursor, int limit) throws IOException, InterruptedException {
    return getPage("/api/v1/results", cursor, limit, "results", ResultPage.class);
  }

  /** One page of the chips' finalisation receipts (the broker's feed of them). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ReceiptPage(List<ReceiptItem> receipts, String nextCursor, boolean hasMore) {}

  /** One receipt as a line reported it: the EID it was filed under and the BF7B, base64. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ReceiptItem(String eid, String receipt, String line) {}

  /** Finalisation receipts after {@code cursor} (null for the start). */
  public ReceiptPage finalisationReceipts(String cursor, int limit)
      throws IOException, InterruptedException {
    return getPage("/api/v1/finalisation-receipts", cursor, limit, "receipts", ReceiptPage.class);
  }

  /** One page of loading reports (the broker's loading-report export). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LoadingReportPage(
      List<LoadingReportItem> reports, String nextCursor, boolean hasMore) {}

  /** A loading report as a line submitted it: the report itself is left as JSON for its reader. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LoadingReportItem(
      long id,
      String orderId,
      String factory,
      String line,
      tools.jackson.databind.JsonNode report) {}

  /** Loading reports after {@code cursor} (null for the start). */
  public LoadingReportPage loadingReports(String cursor, int limit)
      throws IOException, InterruptedException {
    return getPage("/api/v1/loading-reports", cursor, limit, "reports", LoadingReportPage.class);
  }

  /** One page of package requests (the broker's package-request export). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PackageRequestPage(
      List<PackageRequestItem> requests, String nextCursor, boolean hasMore) {}

  /** A line's package request: the chips with their eUICC data (base64 E1), as the line sent. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PackageRequestItem(
      String requestId, String orderId, String factory, String line, List<RequestedChip> euiccs) {}

  /** One chip of a package request. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequestedChip(String eid, String data) {}

  /** Package requests after {@code cursor} (null for the start). */
  public PackageRequestPage packageRequests(String cursor, int limit)
      throws IOException, InterruptedException {
    return getPage(
        "/api/v1/package-requests", cursor, limit, "package requests", PackageRequestPage.class);
  }

  /**
   * Posts the answer to a package request (JSON {@code accepted}/{@code refused}); true when the
   * broker stored it (or had stored the same answer), false when it failed and is worth retrying.
   *
   * @throws IOException when the broker refused the answer itself (a 4xx other than 408/429)
   */
  public boolean answerPackageRequest(String requestId, Object answer)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    properties.baseUrl()
                        + "/api/v1/package-requests/"
                        + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
                        + "/answer"))
            .timeout(properties.timeout())
            .header("Authorization", "Bearer " + properties.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(answer)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    int s = response.statusCode();
    if (s >= 200 && s < 300) {
      return true;
    }
    if (s >= 500 || s == 408 || s == 429) {
      return false;
    }
    throw new IOException(
        "broker refused the answer to " + requestId + ": " + s + " " + abbreviate(response.body()));
  }

  /**
   * One page of the broker feed at {@code path} after {@code cursor} (null for the start), decoded
   * as {@code type}; {@code feed} names it in the error of a refused pull.
   */
  private <T> T getPage(String path, String cursor, int limit, String feed, Class<T> type)
      throws IOException, InterruptedException {
    String query = "?limit=" + limit;
    if (cursor != null) {
      query += "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(properties.baseUrl() + path + query))
            .timeout(properties.timeout())
            .header("Authorization", "Bearer " + properties.token())
            .GET()
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("broker answered " + response.statusCode() + " to a " + feed + " pull");
    }
    return json.readValue(response.body(), type);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : (s.length() > 300 ? s.substring(0, 300) : s);
  }
}
