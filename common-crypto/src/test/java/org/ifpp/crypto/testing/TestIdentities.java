package org.ifpp.crypto.testing;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.signing.SoftwareSigner;

/** The published SGP.26 test identities (test cards only). */
public final class TestIdentities {

  private TestIdentities() {}

  private static String suffix(Curve curve) {
    return curve == Curve.P256 ? "NIST" : "BRP";
  }

  public static X509Certificate cert(String relative) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509", CryptoProviders.bouncyCastle())
              .generateCertificate(new ByteArrayInputStream(Vectors.read(relative)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static X509Certificate ci(Curve curve) {
    return cert("sgp26-certs/CERT_CI_ECDSA_" + suffix(curve) + ".der");
  }

  public static X509Certificate dpBinding(Curve curve) {
    return cert("sgp26-certs/CERT_S_SM_DPpb_ECDSA_" + suffix(curve) + ".der");
  }

  /** The SM-DP+ profile-binding key, RFC 6979 deterministic. */
  public static SoftwareSigner dpSigner(Curve curve) {
    return SoftwareSigner.deterministicFromPem(
        Vectors.readString("sgp26-certs/SK_S_SM_DPpb_ECDSA_" + suffix(curve) + ".pem"));
  }
}
