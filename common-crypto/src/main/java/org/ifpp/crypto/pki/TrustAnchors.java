package org.ifpp.crypto.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The configured GSMA CI certificates (CERT.CI, SGP.22 section 4.5.2.1.0.1) that every IFPP
 * certificate must chain to (IFPP.md sections 3 and 6 step 2). A certificate's issuer is matched by
 * issuer name <em>and</em> Authority Key Identifier: the SGP.26 test CIs {@code Test CI} and {@code
 * GSMA Test CI} share one key and key identifier under different names.
 *
 * <p>Immutable. Each anchor must be a self-signed CA certificate with the CI policy {@code
 * 2.23.146.1.2.1.0}, keyCertSign, a Subject Key Identifier, and a P-256 or brainpoolP256r1 key.
 */
public final class TrustAnchors {

  private record Anchor(X509CertificateHolder holder, X500Name subject, byte[] keyId) {}

  private final List<Anchor> anchors;

  private TrustAnchors(List<Anchor> anchors) {
    this.anchors = List.copyOf(anchors);
  }

  /**
   * @throws IllegalArgumentException if a certificate is not a usable CI certificate (a
   *     configuration error, reported at start-up)
   */
  public static TrustAnchors of(Collection<X509Certificate> certificates) {
    List<byte[]> ders = new ArrayList<>();
    for (X509Certificate c : certificates) {
      try {
        ders.add(c.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalArgumentException("CI certificate cannot be encoded", e);
      }
    }
    return fromDer(ders);
  }

  /**
   * @throws IllegalArgumentException if a certificate is not a usable CI certificate
   */
  public static TrustAnchors fromDer(Collection<byte[]> certificates) {
    List<Anchor> anchors = new ArrayList<>();
    for (byte[] der : certificates) {
      anchors.add(anchor(der));
    }
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one CI certificate is required");
    }
    return new TrustAnchors(anchors);
  }

  public static TrustAnchors fromDer(byte[]... certificates) {
    return fromDer(Arrays.asList(certificates));
  }

  private static Anchor anchor(byte[] der) {
    try {
      X509CertificateHolder holder = CertificateChecks.parse(der);
      String what = "CI certificate " + holder.getSubject();
      if (!holder.getSubject().equals(holder.getIssuer())) {
        throw new IllegalArgumentException(what + " is not self-signed");
      }
      CertificateChecks.verifySignedBy(holder, holder.getSubjectPublicKeyInfo());
      CertificateChecks.requireRole(holder, RspRole.CI, KeyUsage.keyCertSign, true, what);
      CertificateChecks.ecKey(holder.getSubjectPublicKeyInfo());
      byte[] keyId =
          CertificateChecks.subjectKeyId(holder)
              .orElseThrow(() -> new IllegalArgumentException(what + " has no subjectKeyId"));
      return new Anchor(holder, holder.getSubject(), keyId);
    } catch (CheckFailed e) {
      throw new IllegalArgumentException("not a usable CI certificate: " + e.detail());
    }
  }

  /** The CI that issued a certificate with this issuer name and authority key identifier. */
  Optional<X509CertificateHolder> issuerOf(X500Name issuer, byte[] authorityKeyId) {
    return anchors.stream()
        .filter(a -> a.subject().equals(issuer) && Arrays.equals(a.keyId(), authorityKeyId))
        .map(Anchor::holder)
        .findFirst();
  }

  /** The anchors' subject names (RFC 4514), for diagnostics and configuration reports. */
  public List<String> subjects() {
    return anchors.stream().map(a -> a.subject().toString()).toList();
  }

  public int size() {
    return anchors.size();
  }

  @Override
  public String toString() {
    return "TrustAnchors" + subjects();
  }
}
