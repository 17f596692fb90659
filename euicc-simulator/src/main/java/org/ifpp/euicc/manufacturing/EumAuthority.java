package org.ifpp.euicc.manufacturing;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.manufacturing.internal.CertificateIssuer;

/**
 * The simulated eUICC manufacturer (EUM, IFPP.md section 4 step 1): its certificate (chaining to a
 * CI), its private key, and the EID range it may number chips in (the prefix its certificate's name
 * constraints permit). Issues CERT.EUICC for each chip it makes.
 */
public final class EumAuthority {

  private final X509Certificate eumCertificate;
  private final PrivateKey eumKey;
  private final List<X509Certificate> ciCertificates;
  private final String eidPrefix;

  /**
   * @param eidPrefix decimal digits (at most 28) every EID of this EUM starts with
   */
  public EumAuthority(
      X509Certificate eumCertificate,
      PrivateKey eumKey,
      List<X509Certificate> ciCertificates,
      String eidPrefix) {
    this.eumCertificate = Objects.requireNonNull(eumCertificate, "eumCertificate");
    this.eumKey = Objects.requireNonNull(eumKey, "eumKey");
    this.ciCertificates = List.copyOf(ciCertificates);
    if (eidPrefix == null || !eidPrefix.matches("[0-9]{1,28}")) {
      throw new IllegalArgumentException("EID prefix must be 1 to 28 digits");
    }
    this.eidPrefix = eidPrefix;
  }

  public X509Certificate eumCertificate() {
    return eumCertificate;
  }

  public List<X509Certificate> ciCertificates() {
    return ciCertificates;
  }

  public String eidPrefix() {
    return eidPrefix;
  }

  /** The curve chips of this EUM use: the curve of the EUM key. */
  public Curve curve() {
    return EcPublicKey.fromJca(eumCertificate.getPublicKey()).curve();
  }

  /** Issues CERT.EUICC for {@code eid} and {@code key}. */
  public X509Certificate issueEuiccCertificate(Eid eid, PublicKey key, SecureRandom random) {
    if (!eid.value().startsWith(eidPrefix)) {
      throw new IllegalArgumentException("EID outside this EUM's range");
    }
    return CertificateIssuer.issueEuicc(eumCertificate, eumKey, eid.value(), key, random);
  }

  @Override
  public String toString() {
    return "EumAuthority["
        + eumCertificate.getSubjectX500Principal()
        + ", prefix "
        + eidPrefix
        + "]";
  }
}
