package org.ifpp.crypto.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ifpp.crypto.ec.EcPublicKey;

/**
 * A development certificate and its software private key, made by {@link DevelopmentPki}. For
 * tests, the simulator and a development Key Maker only: production binding keys live in an HSM
 * (GENS05). {@link #toString()} never shows the private key.
 */
public final class DevelopmentCredential {

  private static final Provider BC = new BouncyCastleProvider();

  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  DevelopmentCredential(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * Wraps an existing certificate and its key (for example the SGP.26 {@code euicc.der} and {@code
   * euicc-key.pem}) for development use.
   *
   * @throws IllegalArgumentException if the private key does not belong to the certificate
   */
  public static DevelopmentCredential of(X509Certificate certificate, PrivateKey privateKey) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA", BC);
      signer.initSign(privateKey);
      byte[] probe = "key pair check".getBytes(StandardCharsets.US_ASCII);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA", BC);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException("private key does not match the certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a usable EC key pair", e);
    }
    return new DevelopmentCredential(certificate, privateKey);
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
