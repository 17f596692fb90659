package org.ifpp.crypto.pki;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;

/**
 * A development certificate and its software private key, made by {@link DevelopmentPki}. For
 * tests, the simulator and a development Key Maker only: production binding keys live in an HSM
 * (GENS05). {@link #toString()} never shows the private key.
 */
public final class DevelopmentCredential {

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  DevelopmentCredential(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The DER encoding of the certificate. */
  public byte[] certificateDer() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("certificate cannot be encoded", e);
    }
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  public EcPublicKey publicKey() {
    return EcPublicKey.fromJca(certificate.getPublicKey());
  }

  @Override
  public String toString() {
    return "DevelopmentCredential[" + certificate.getSubjectX500Principal() + ", key REDACTED]";
  }
}
