package org.ifpp.crypto.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.ec.EcPublicKey;

/**
 * Validates the Key Maker's profile-binding certificate (CERT.DPpb, SGP.22 section 4.5.2.1.0.5) as
 * the eUICC does in IFPP.md section 6 step 2: issued directly by a trusted CI (issuer name and key
 * identifier match, ecdsa-with-SHA256 signature verifies), CI and certificate valid at the clock's
 * instant (not checked by a validator {@link #withoutClock}), certificate policy {@code
 * id-rspRole-dp-pb} (2.23.146.1.2.1.5, which the SGP.26 DPpb test certificates carry), key usage
 * digitalSignature, not a CA, and an EC key on P-256 or brainpoolP256r1.
 *
 * <p>Thread-safe; never throws for bad input.
 */
public final class BindingCertificateValidator {

  private final TrustAnchors anchors;
  private final Clock clock;

  public BindingCertificateValidator(TrustAnchors anchors, Clock clock) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private BindingCertificateValidator(TrustAnchors anchors) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = null;
  }

  /**
   * A validator for a chip, which has no trusted clock: every check but the validity periods. The
   * caller applies what the chip can know about time (docs/rules.md section 6 step 2: the
   * certificate had not expired when the chip was made).
   */
  public static BindingCertificateValidator withoutClock(TrustAnchors anchors) {
    return new BindingCertificateValidator(anchors);
  }

  public BindingValidation validate(X509Certificate certificate) {
    try {
      return validate(CertificateChecks.parse(certificate));
    } catch (CheckFailed e) {
      return new BindingValidation.Invalid(e.reason(), e.detail());
    }
  }

  /** Validates a DER-encoded certificate. */
  public BindingValidation validate(byte[] der) {
    try {
      return validate(CertificateChecks.parse(der));
    } catch (CheckFailed e) {
      return new BindingValidation.Invalid(e.reason(), e.detail());
    }
  }

  /**
   * The binding key of a valid certificate, or empty: the form the BPP opener takes as its
   * certificate check ({@code validator::signingKeyOf} is a {@code Function<X509Certificate,
   * Optional<EcPublicKey>>}).
   */
  public Optional<EcPublicKey> signingKeyOf(X509Certificate certificate) {
    return validate(certificate) instanceof BindingValidation.Valid v
        ? Optional.of(v.signingKey())
        : Optional.empty();
  }

  /** {@link #signingKeyOf} as a function. */
  public Function<X509Certificate, Optional<EcPublicKey>> asKeyResolver() {
    return this::signingKeyOf;
  }

  private BindingValidation validate(X509CertificateHolder cert) throws CheckFailed {
    String what = "binding certificate " + cert.getSubject();
    byte[] aki = CertificateChecks.authorityKeyId(cert, what);
    X509CertificateHolder ci =
        anchors
            .issuerOf(cert.getIssuer(), aki)
            .orElseThrow(
                () ->
                    new CheckFailed(
                        ValidationFailure.UNTRUSTED_ISSUER,
                        "no trusted CI " + cert.getIssuer() + " with the certificate's key id"));
    CertificateChecks.verifySignedBy(cert, ci.getSubjectPublicKeyInfo());
    if (clock != null) {
      var now = clock.instant();
      CertificateChecks.checkValidity(ci, now, "CI certificate " + ci.getSubject());
      CertificateChecks.checkValidity(cert, now, what);
    }
    CertificateChecks.requireRole(cert, RspRole.DP_PB, KeyUsage.digitalSignature, false, what);
    EcPublicKey key = CertificateChecks.ecKey(cert.getSubjectPublicKeyInfo());
    return new BindingValidation.Valid(key, principal(cert));
  }

  static X500Principal principal(X509CertificateHolder cert) throws CheckFailed {
    try {
      return new X500Principal(cert.getSubject().getEncoded());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new CheckFailed(ValidationFailure.MALFORMED, "undecodable subject name");
    }
  }
}
