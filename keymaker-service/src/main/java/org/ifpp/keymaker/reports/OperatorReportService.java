package org.ifpp.keymaker.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.ifpp.keymaker.audit.AuditLog;
import org.ifpp.keymaker.audit.AuditRecord;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.orders.Order;
import org.ifpp.keymaker.orders.OrderDevice;
import org.ifpp.keymaker.orders.OrderId;
import org.ifpp.keymaker.orders.OrderRepository;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.web.DomainException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds an order's operator's report from the bindings (facts, where a chip signed them) and the
 * latest loading report (the factory's claims), and signs it in the HSM with the binding key, the
 * key that signs audit checkpoints ({@link HsmSigner}; docs/orders.md says how to verify). The
 * report is JSON and cannot be mistaken for anything else that key signs (SGP.22 DER structures
 * starting with 0x30 or 0xBF, checkpoint lines).
 */
@Service
public class OperatorReportService {

  private final OrderRepository orders;
  private final LoadingReportRepository reports;
  private final HsmSigner signer;
  private final AuditLog audit;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  OperatorReportService(
      OrderRepository orders,
      LoadingReportRepository reports,
      HsmSigner signer,
      AuditLog audit,
      Clock clock) {
    this.orders = orders;
    this.reports = reports;
    this.signer = signer;
    this.audit = audit;
    this.clock = clock;
  }

  /** The order's report as it stands now. */
  public OperatorReport report(OrderId id) {
    Order order =
        orders
            .find(id)
            .orElseThrow(() -> new DomainException(KeymakerError.UNKNOWN_ORDER, "no order " + id));
    Map<String, LoadingReportRepository.StoredEntry> claims = reports.latestEntries(id);
    List<OperatorReport.Device> devices = new ArrayList<>();
    Map<String, Long> summary = new LinkedHashMap<>();
    for (OrderDevice d : orders.allDevices(id)) {
      String status = status(d);
      summary.merge(status, 1L, Long::sum);
      LoadingReportRepository.StoredEntry c = claims.get(d.eid());
      devices.add(
          new OperatorReport.Device(
              d.eid(),
              d.iccid(),
              status,
              status.equals("INSTALLED") || status.equals("FAILED") || status.equals("REBINDING"),
              d.state(),
              d.transactionId() == null ? null : d.transactionId().toHex(),
              d.attempts(),
              d.resultCode(),
              c == null
                  ? null
                  : new OperatorReport.FactoryClaim(
                      c.claimedOutcome(), c.reason(), c.verification(), c.code())));
    }
    X509Certificate cert = signer.certificateChain()[0];
    return new OperatorReport(
        OperatorReport.FORMAT,
        id.toString(),
        order.pool(),
        order.factory(),
        order.deviceCount(),
        clock.instant().truncatedTo(ChronoUnit.MILLIS),
        cert.getSerialNumber().toString(16),
        summary,
        devices);
  }

  /**
   * The report, serialised and signed in the HSM; the signing is audited with its SHA-256 (one
   * transaction: the report read from one snapshot, the audit record with it).
   */
  @Transactional
  public SignedOperatorReport signed(String actor, OrderId id) {
    byte[] bytes = json.writeValueAsBytes(report(id));
    byte[] raw = signer.sign(bytes);
    List<String> chain = new ArrayList<>();
    for (X509Certificate c : signer.certificateChain()) {
      chain.add(pem(c));
    }
    audit.append(
        AuditRecord.of(actor, "OPERATOR_REPORT_SIGNED", id.toString(), "sha256", sha256(bytes)));
    Base64.Encoder b64 = Base64.getEncoder();
    return new SignedOperatorReport(
        SignedOperatorReport.FORMAT,
        b64.encodeToString(bytes),
        "SHA256withECDSA",
        b64.encodeToString(der(raw)),
        chain);
  }

  /**
   * A device's status: INSTALLED/FAILED from a chip-signed result; a later attempt after a signed
   * failure is REBINDING (always to the same chip); a delivered package without a signed result is
   * AWAITING_RESULT, whatever the factory claims.
   */
  static String status(OrderDevice d) {
    return switch (d.state()) {
      case "INSTALLED" -> "INSTALLED";
      case "FAILED" -> "FAILED";
      case "ABANDONED" -> "ABANDONED";
      case "NOT_BOUND" -> "NOT_BOUND";
      default -> d.attempts() > 1 ? "REBINDING" : "AWAITING_RESULT";
    };
  }

  /** The HSM's r||s (TR-03111) as the DER SEQUENCE { r, s } that X.509 tools verify. */
  private static byte[] der(byte[] raw) {
    int half = raw.length / 2;
    try {
      return new DERSequence(
              new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, half))),
                new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)))
              })
          .getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(X509Certificate c) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(c.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("binding certificate", e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
