package org.ifpp.crypto.pki;

import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Loads X.509 certificates through a pinned BouncyCastle provider, so that brainpoolP256r1
 * certificates load on any JDK (SunEC no longer implements brainpool).
 */
public final class Certificates {

  private static final Provider BC = new BouncyCastleProvider();

  private Certificates() {}

  /**
   * @return the certificate, or empty if {@code der} is not exactly one strict-DER X.509 v3
   *     certificate whose critical extensions are all of the SGP.22 profile
   */
  public static Optional<X509Certificate> fromDer(byte[] der) {
    try {
      CertificateChecks.parse(der);
      CertificateFactory factory = CertificateFactory.getInstance("X.509", BC);
      return Optional.of(
          (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
    } catch (CheckFailed | CertificateException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * @throws IllegalArgumentException if {@code der} is not a certificate (for trusted
   *     configuration, where a bad file is a start-up error)
   */
  public static X509Certificate requireFromDer(byte[] der) {
    return fromDer(der).orElseThrow(() -> new IllegalArgumentException("not a DER certificate"));
  }
}
