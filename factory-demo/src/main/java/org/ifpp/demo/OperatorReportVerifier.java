package org.ifpp.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.ifpp.line.http.Json;

/**
 * Verifies an operator's report file ({@code ifpp-signed-operator-report/1}, docs/orders.md) the
 * way the operator would with openssl, in Java: the certificate chain up to the Key Maker's CI (a
 * PKIX path, the CI as the trust anchor), then the detached SHA256withECDSA signature over the
 * report's exact bytes with the chain's first certificate (the Key Maker's binding certificate).
 */
final class OperatorReportVerifier {

  static final String FORMAT = "ifpp-signed-operator-report/1";

  /**
   * A verified report.
   *
   * @param report the report's JSON ({@code ifpp-operator-report/1})
   * @param signer the signing certificate's subject
   * @param anchored whether the chain was validated up to the given CI (false: no CI was given, and
   *     only the signature with the chain's own certificate was checked)
   */
  record Verified(JsonNode report, String signer, boolean anchored) {}

  private OperatorReportVerifier() {}

  /**
   * @param file the signed report as downloaded
   * @param ci the Key Maker's CI certificate (the trust anchor), or null
   * @throws GeneralSecurityException when the chain or the signature does not verify
   */
  static Verified verify(byte[] file, X509Certificate ci) throws GeneralSecurityException {
    JsonNode signed = Json.parse(file);
    if (!FORMAT.equals(signed.path("format").asText())) {
      throw new GeneralSecurityException("not an " + FORMAT + " file");
    }
    if (!"SHA256withECDSA".equals(signed.path("signatureAlgorithm").asText())) {
      throw new GeneralSecurityException("unexpected signature algorithm");
    }
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    List<X509Certificate> chain = new ArrayList<>();
    for (JsonNode pem : signed.path("certificateChain")) {
      chain.add(
          (X509Certificate)
              x509.generateCertificate(
                  new ByteArrayInputStream(pem.asText().getBytes(StandardCharsets.US_ASCII))));
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate chain");
    }
    if (ci != null) {
      // The path without the anchor itself (a chain may end with the CI).
      List<X509Certificate> path = chain.stream().filter(c -> !c.equals(ci)).toList();
      PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ci, null)));
      params.setRevocationEnabled(false); // a development CI publishes no revocation
      CertPathValidator.getInstance("PKIX").validate(x509.generateCertPath(path), params);
    }
    byte[] report = Base64.getDecoder().decode(signed.path("report").asText());
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(chain.get(0).getPublicKey());
    verifier.update(report);
    if (!verifier.verify(Base64.getDecoder().decode(signed.path("signature").asText()))) {
      throw new GeneralSecurityException("the report's signature does not verify");
    }
    return new Verified(
        Json.parse(report), chain.get(0).getSubjectX500Principal().getName(), ci != null);
  }
}
