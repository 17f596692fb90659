package org.ifpp.broker.batches;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.ifpp.broker.config.BrokerProperties;
import org.ifpp.broker.structure.PackageStructure;
import org.ifpp.broker.web.BrokerError;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.TransactionId;
import org.ifpp.web.DomainException;
import org.ifpp.web.WebError;
import org.springframework.stereotype.Component;

/**
 * Turns an upload request into checked values before any write: every field is validated and every
 * package checked structurally, so a bad batch is refused as a whole with a precise code.
 */
@Component
class BatchValidator {

  static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern TX_HEX = Pattern.compile("[0-9A-Fa-f]{32}");
  // An uncompressed EC point of a 256-bit curve: 04 || X || Y (SGP.22 bppEuiccOtpk).
  private static final Pattern OTPK_HEX = Pattern.compile("04[0-9A-Fa-f]{128}");

  private final BrokerProperties properties;

  BatchValidator(BrokerProperties properties) {
    this.properties = properties;
  }

  /**
   * @param bppEuiccOtpk the one-time key the package is bound to (65 bytes), or null
   */
  record ValidPackage(
      Eid eid, TransactionId transactionId, String targetLine, byte[] bpp, byte[] bppEuiccOtpk) {}

  record ValidBatch(
      String batchId,
      String targetFactory,
      byte[] bindingCertificate,
      List<ValidPackage> packages) {}

  ValidBatch validate(UploadBatchRequest r) {
    return validate(r, null);
  }

  /**
   * As {@link #validate(UploadBatchRequest)} for the binary form ({@link PackageBatchBody}): the
   * packages' bytes come from {@code raw}, in order, and the header carries none of its own.
   */
  ValidBatch validate(PackageBatchBody body) {
    return validate(body.header(), body.packages());
  }

  private ValidBatch validate(UploadBatchRequest r, List<byte[]> raw) {
    if (r.batchId() == null || !BATCH_ID.matcher(r.batchId()).matches()) {
      throw new DomainException(BrokerError.INVALID_BATCH_ID, "batchId: [A-Za-z0-9._:-]{1,64}");
    }
    String factory = name(r.targetFactory(), "targetFactory", true);
    String batchLine = name(r.targetLine(), "targetLine", false);
    byte[] certificate = base64(r.bindingCertificate(), "bindingCertificate");
    checkCertificate(certificate);
    List<UploadBatchRequest.PackageUpload> in = r.packages();
    if (in == null || in.isEmpty()) {
      throw new DomainException(BrokerError.EMPTY_BATCH, "packages: at least one package");
    }
    if (in.size() > properties.maxBatchSize()) {
      throw new DomainException(
          BrokerError.BATCH_TOO_LARGE,
          "packages: at most " + properties.maxBatchSize() + " per batch");
    }
    if (raw != null && raw.size() != in.size()) {
      throw new DomainException(
          BrokerError.MALFORMED_BATCH_BODY,
          "the header lists " + in.size() + " packages, the body holds " + raw.size());
    }
    long maxPackage = properties.maxPackageSize().toBytes();
    Set<TransactionId> seen = new HashSet<>(in.size() * 2);
    List<ValidPackage> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      UploadBatchRequest.PackageUpload p = in.get(i);
      String at = "packages[" + i + "]";
      if (p == null) {
        throw new DomainException(WebError.INVALID_REQUEST, at + ": null");
      }
      Eid eid;
      try {
        eid = Eid.of(p.eid());
      } catch (IllegalArgumentException e) {
        throw new DomainException(BrokerError.INVALID_EID, at + ".eid: " + e.getMessage());
      }
      if (p.transactionId() == null || !TX_HEX.matcher(p.transactionId()).matches()) {
        throw new DomainException(
            BrokerError.INVALID_TRANSACTION_ID, at + ".transactionId: 16 bytes as 32 hex digits");
      }
      TransactionId tx = TransactionId.fromHex(p.transactionId());
      if (!seen.add(tx)) {
        throw new DomainException(
            BrokerError.DUPLICATE_IN_BATCH, at + ".transactionId: appears twice in this batch");
      }
      String line = p.targetLine() != null ? name(p.targetLine(), at + ".targetLine", false) : null;
      if (line != null && batchLine != null && !line.equals(batchLine)) {
        throw new DomainException(
            BrokerError.INVALID_TARGET, at + ".targetLine: differs from the batch's targetLine");
      }
      byte[] bpp;
      if (raw == null) {
        bpp = base64(p.boundProfilePackage(), at + ".boundProfilePackage");
      } else if (p.boundProfilePackage() != null) {
        throw new DomainException(
            BrokerError.MALFORMED_BATCH_BODY,
            at + ".boundProfilePackage: in the body, not in the header");
      } else {
        bpp = raw.get(i);
      }
      if (bpp.length > maxPackage) {
        throw new DomainException(
            BrokerError.PACKAGE_TOO_LARGE, at + ": larger than " + maxPackage + " bytes");
      }
      PackageStructure.checkBoundProfilePackage(bpp, tx, at);
      out.add(
          new ValidPackage(
              eid, tx, line != null ? line : batchLine, bpp, otpk(p.bppEuiccOtpk(), at)));
    }
    return new ValidBatch(r.batchId(), factory, certificate, out);
  }

  /** The package's one-time key (optional); the broker checks its form, the chip the point. */
  private static byte[] otpk(String hex, String at) {
    if (hex == null) {
      return null;
    }
    if (!OTPK_HEX.matcher(hex).matches()) {
      throw new DomainException(
          BrokerError.INVALID_BPP_EUICC_OTPK,
          at + ".bppEuiccOtpk: an uncompressed point 04||X||Y, 130 hex digits");
    }
    return HexFormat.of().parseHex(hex);
  }

  private static String name(String value, String field, boolean required) {
    if (value == null) {
      if (required) {
        throw new DomainException(BrokerError.INVALID_TARGET, field + " is required");
      }
      return null;
    }
    if (!NAME.matcher(value).matches()) {
      throw new DomainException(BrokerError.INVALID_TARGET, field + ": [A-Za-z0-9._-]{1,64}");
    }
    return value;
  }

  private static byte[] base64(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw new DomainException(BrokerError.MALFORMED_BASE64, field + " is required (base64)");
    }
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new DomainException(BrokerError.MALFORMED_BASE64, field + ": not valid base64");
    }
  }

  private static void checkCertificate(byte[] der) {
    if (der[0] != 0x30) { // DER SEQUENCE, not PEM text
      throw new DomainException(
          BrokerError.MALFORMED_CERTIFICATE, "bindingCertificate: not a DER X.509 certificate");
    }
    try {
      CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new DomainException(
          BrokerError.MALFORMED_CERTIFICATE, "bindingCertificate: not a DER X.509 certificate");
    }
  }
}
