package org.ifpp.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.demo.services.KeyMakerClient;
import org.ifpp.line.broker.BrokerClient;
import org.ifpp.line.report.LoadingReport;

/**
 * The demo's production order (SGP.41, docs/orders.md): created for the factory with the chips'
 * EIDs, bound under it, its loading report written by the line from its journals and submitted
 * through the broker, reconciled by the Key Maker; then the signed operator's report downloaded,
 * kept, verified against the Key Maker's certificate chain, and summed up; and the order's
 * finalisation view.
 *
 * @param factory the factory (broker) the order is for: the Key Maker's target factory
 * @param keyMakerCi the Key Maker's CI certificate (DER or PEM), the operator's trust anchor; null:
 *     the chain is not anchored (said so)
 * @param outDirectory where the signed operator's report is kept, or null
 */
public record DemoOrder(String factory, Path keyMakerCi, Path outDirectory) {

  /** What the operator's report says, verified. */
  public record Summary(
      boolean verified,
      boolean anchored,
      Map<String, Long> statuses,
      long installed,
      long failed,
      long unreported,
      Map<String, Long> unreportedClaims,
      Path file) {}

  /** Creates the order and binds it; returns the order id and the binding batch. */
  String[] createAndBind(KeyMakerClient keyMaker, String pool, List<String> eids) {
    String order = keyMaker.createOrder(pool, factory, eids);
    return new String[] {order, keyMaker.bindOrder(order)};
  }

  /**
   * The line's loading report of the order over {@code eids}, from the lines' journals, submitted
   * through {@code line}'s broker credential (under the key derived from its bytes).
   */
  static LoadingReport submit(
      BrokerClient line, String orderId, List<Eid> eids, Path journalDirectory) {
    LoadingReport report =
        LoadingReport.fromJournals(UUID.fromString(orderId), eids, journalDirectory, Map.of());
    line.submitLoadingReport(report.json(), report.idempotencyKey());
    return report;
  }

  /** Waits until the Key Maker has reconciled a loading report of the order. */
  static void awaitReconciled(KeyMakerClient keyMaker, String orderId, int timeoutSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (!"REPORTED".equals(keyMaker.order(orderId).path("state").asText())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the Key Maker did not reconcile the loading report of order "
                + orderId
                + " (see its audit: LOADING_REPORT_REFUSED)");
      }
      Thread.sleep(200);
    }
  }

  /** Downloads, keeps and verifies the signed operator's report, and sums it up. */
  Summary operatorReport(KeyMakerClient keyMaker, String orderId)
      throws IOException, GeneralSecurityException {
    byte[] file = keyMaker.signedOperatorReport(orderId);
    Path kept = null;
    if (outDirectory != null) {
      kept = outDirectory.resolve("operator-report-" + orderId + ".json");
      Files.write(kept, file);
    }
    OperatorReportVerifier.Verified v = OperatorReportVerifier.verify(file, ci());
    if (!orderId.equals(v.report().path("orderId").asText())) {
      throw new GeneralSecurityException("the signed report is of another order");
    }
    Map<String, Long> statuses = new TreeMap<>();
    v.report()
        .path("summary")
        .fields()
        .forEachRemaining(e -> statuses.put(e.getKey(), e.getValue().asLong()));
    Map<String, Long> claims = new LinkedHashMap<>();
    for (JsonNode d : v.report().path("devices")) {
      String status = d.path("status").asText();
      if (!status.equals("INSTALLED") && !status.equals("FAILED") && !status.equals("REBINDING")) {
        JsonNode claim = d.path("factoryClaim");
        String said =
            claim.isMissingNode() || claim.isNull()
                ? "no loading report"
                : claim.path("reason").asText(claim.path("outcome").asText());
        claims.merge(said, 1L, Long::sum);
      }
    }
    long installed = statuses.getOrDefault("INSTALLED", 0L);
    long failed = statuses.getOrDefault("FAILED", 0L) + statuses.getOrDefault("REBINDING", 0L);
    long all = statuses.values().stream().mapToLong(Long::longValue).sum();
    return new Summary(
        true, v.anchored(), statuses, installed, failed, all - installed - failed, claims, kept);
  }

  private X509Certificate ci() throws IOException, CertificateException {
    if (keyMakerCi == null) {
      return null;
    }
    try (InputStream in = Files.newInputStream(keyMakerCi)) {
      // CertificateFactory reads DER and PEM alike.
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
