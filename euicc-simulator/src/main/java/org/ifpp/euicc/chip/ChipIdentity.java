package org.ifpp.euicc.chip;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * The permanent identity of a chip: its eUICC certificate (CERT.EUICC), the certificates above it
 * up to (not including) the CI (normally the EUM certificate), and its ECDSA signing key as PKCS#8
 * DER. The signing key signs Profile Installation Results and one-time key attestations; it never
 * leaves the simulator.
 *
 * @param certificateDer CERT.EUICC, DER
 * @param chainDer the issuing certificates, EUM first, DER
 * @param curve the curve of the eUICC key (and of its one-time keys)
 * @param signingKeyPkcs8 the eUICC private key, PKCS#8 DER, secret
 */
public record ChipIdentity(
    byte[] certificateDer, List<byte[]> chainDer, Curve curve, SecretBytes signingKeyPkcs8) {

  public ChipIdentity {
    Objects.requireNonNull(certificateDer, "certificateDer");
    chainDer = List.copyOf(chainDer);
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(signingKeyPkcs8, "signingKeyPkcs8");
  }

  /** CERT.EUICC parsed. */
  public X509Certificate certificate() {
    return parse(certificateDer);
  }

  /** The issuing certificates parsed, EUM first. */
  public List<X509Certificate> chain() {
    return chainDer.stream().map(ChipIdentity::parse).toList();
  }

  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an X.509 certificate", e);
    }
  }

  @Override
  public String toString() {
    return "ChipIdentity[" + curve + ", signing key REDACTED]";
  }
}
