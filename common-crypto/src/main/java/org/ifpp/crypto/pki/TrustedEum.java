package org.ifpp.crypto.pki;

import java.time.Instant;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * An EUM certificate that passed every check of SGP.22 section 4.5.2.1.0.2 against the trusted CIs
 * at one instant ({@link EuiccChainValidator#validateEum}): issued by a configured CI, signature,
 * validity, role. Made once per EUM and used for each of its eUICC certificates, so that the EUM's
 * signature, extensions and Name Constraints are checked and decoded once rather than per chip.
 *
 * <p>Immutable; opaque outside this package.
 */
public final class TrustedEum implements EumValidation {

  final X509CertificateHolder holder;
  final Instant validatedAt;
  final Optional<byte[]> keyId;
  final X500Principal subject;
  final EumNameConstraints.Prepared range;

  TrustedEum(
      X509CertificateHolder holder,
      Instant validatedAt,
      Optional<byte[]> keyId,
      X500Principal subject,
      EumNameConstraints.Prepared range) {
    this.holder = holder;
    this.validatedAt = validatedAt;
    this.keyId = keyId;
    this.subject = subject;
    this.range = range;
  }

  /** The EUM's subject. */
  public X500Principal subject() {
    return subject;
  }

  /** The instant the EUM was found valid at (its eUICC certificates are checked at it too). */
  public Instant validatedAt() {
    return validatedAt;
  }

  @Override
  public String toString() {
    return "TrustedEum[" + subject.getName() + "]";
  }
}
