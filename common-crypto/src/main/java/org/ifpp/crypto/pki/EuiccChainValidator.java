package org.ifpp.crypto.pki;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.pki.EuiccChainValidation.Element;

/**
 * Validates an eUICC certificate chain CI &rarr; EUM &rarr; eUICC (SGP.22 sections 4.5.2.1.0.2 and
 * 4.5.2.1.0.3; IFPP.md DPFF10): the EUM certificate is issued by a trusted CI (name and key
 * identifier), is a CA with keyCertSign and policy {@code id-rspRole-eum} (2.23.146.1.2.1.2); the
 * eUICC certificate is issued by that EUM, has digitalSignature and policy {@code id-rspRole-euicc}
 * (2.23.146.1.2.1.1) and an EC key on an IFPP curve; every certificate is valid at the clock's
 * instant; the EID in the eUICC subject's serialNumber equals the expected EID and lies within the
 * EUM's Name Constraints.
 *
 * <p>Thread-safe; never throws for bad input.
 */
public final class EuiccChainValidator {

  private final TrustAnchors anchors;
  private final Clock clock;

  public EuiccChainValidator(TrustAnchors anchors, Clock clock) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public EuiccChainValidation validate(X509Certificate euicc, X509Certificate eum, Eid expected) {
    try {
      return validate(
          euicc == null ? null : euicc.getEncoded(),
          eum == null ? null : eum.getEncoded(),
          expected);
    } catch (CertificateEncodingException e) {
      return new EuiccChainValidation.Invalid(
          ValidationFailure.MALFORMED, Element.EUICC, "certificate cannot be encoded");
    }
  }

  /** Validates DER-encoded eUICC and EUM certificates for the expected EID. */
  public EuiccChainValidation validate(byte[] euiccDer, byte[] eumDer, Eid expected) {
    Objects.requireNonNull(expected, "expected");
    EumValidation eum = validateEum(eumDer);
    return eum instanceof TrustedEum trusted
        ? validate(euiccDer, trusted, expected)
        : (EuiccChainValidation.Invalid) eum;
  }

  /**
   * Validates an EUM certificate once, at the clock's instant, for the eUICC certificates it issued
   * ({@link #validate(byte[], TrustedEum, Eid)}): issued by a trusted CI (name and key id),
   * signature, validity of the CI and the EUM, role (CA, keyCertSign, policy), EC key.
   */
  public EumValidation validateEum(byte[] eumDer) {
    Instant now = clock.instant();
    try {
      X509CertificateHolder eum = validateEum(CertificateChecks.parse(eumDer), now);
      return new TrustedEum(
          eum,
          now,
          CertificateChecks.subjectKeyId(eum),
          BindingCertificateValidator.principal(eum),
          EumNameConstraints.prepare(eum));
    } catch (CheckFailed e) {
      return new EuiccChainValidation.Invalid(e.reason(), Element.EUM, e.detail());
    }
  }

  /**
   * Validates a DER eUICC certificate issued by {@code eum} for the expected EID, at the instant
   * the EUM was validated: issuer (name and key id), signature, validity, role, EC key on an IFPP
   * curve, EID equal to the expected one and within the EUM's Name Constraints.
   */
  public EuiccChainValidation validate(byte[] euiccDer, TrustedEum eum, Eid expected) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(eum, "eum");
    try {
      X509CertificateHolder euicc = CertificateChecks.parse(euiccDer);
      String what = "eUICC certificate " + euicc.getSubject();
      byte[] eumKeyId =
          eum.keyId.orElseThrow(
              () -> new CheckFailed(ValidationFailure.MALFORMED, "EUM has no subjectKeyId"));
      if (!euicc.getIssuer().equals(eum.holder.getSubject())
          || !Arrays.equals(CertificateChecks.authorityKeyId(euicc, what), eumKeyId)) {
        throw new CheckFailed(
            ValidationFailure.UNTRUSTED_ISSUER,
            what + " is not issued by " + eum.holder.getSubject());
      }
      CertificateChecks.verifySignedBy(euicc, euiccDer, eum.holder.getSubjectPublicKeyInfo());
      CertificateChecks.checkValidity(euicc, eum.validatedAt, what);
      CertificateChecks.requireRole(euicc, RspRole.EUICC, KeyUsage.digitalSignature, false, what);
      EcPublicKey key = CertificateChecks.ecKey(euicc.getSubjectPublicKeyInfo());
      String eid = eidOf(euicc);
      if (!eid.equals(expected.value())) {
        throw new CheckFailed(
            ValidationFailure.EID_MISMATCH,
            "certificate EID " + eid + " differs from expected " + expected);
      }
      eum.range.check(euicc.getSubject(), eid);
      return new EuiccChainValidation.Valid(
          expected, key, BindingCertificateValidator.principal(euicc), eum.subject);
    } catch (CheckFailed e) {
      return new EuiccChainValidation.Invalid(e.reason(), Element.EUICC, e.detail());
    }
  }

  private X509CertificateHolder validateEum(X509CertificateHolder eum, Instant now)
      throws CheckFailed {
    String what = "EUM certificate " + eum.getSubject();
    byte[] aki = CertificateChecks.authorityKeyId(eum, what);
    X509CertificateHolder ci =
        anchors
            .issuerOf(eum.getIssuer(), aki)
            .orElseThrow(
                () ->
                    new CheckFailed(
                        ValidationFailure.UNTRUSTED_ISSUER,
                        "no trusted CI " + eum.getIssuer() + " with the EUM's key id"));
    CertificateChecks.verifySignedBy(eum, ci.getSubjectPublicKeyInfo());
    CertificateChecks.checkValidity(ci, now, "CI certificate " + ci.getSubject());
    CertificateChecks.checkValidity(eum, now, what);
    CertificateChecks.requireRole(eum, RspRole.EUM, KeyUsage.keyCertSign, true, what);
    CertificateChecks.ecKey(eum.getSubjectPublicKeyInfo());
    return eum;
  }

  /** The EID: the single serialNumber attribute of the eUICC subject (SGP.22 4.5.2.1.0.3). */
  private static String eidOf(X509CertificateHolder euicc) throws CheckFailed {
    RDN[] rdns = euicc.getSubject().getRDNs(BCStyle.SERIALNUMBER);
    if (rdns.length != 1
        || rdns[0].isMultiValued()
        || !(rdns[0].getFirst().getValue() instanceof ASN1String s)) {
      throw new CheckFailed(
          ValidationFailure.MALFORMED, "eUICC subject must hold exactly one serialNumber (EID)");
    }
    try {
      return Eid.of(s.getString()).value();
    } catch (IllegalArgumentException e) {
      throw new CheckFailed(ValidationFailure.MALFORMED, "eUICC serialNumber is not a valid EID");
    }
  }
}
