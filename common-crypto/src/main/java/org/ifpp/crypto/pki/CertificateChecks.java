package org.ifpp.crypto.pki;

import static org.ifpp.crypto.pki.ValidationFailure.BAD_SIGNATURE;
import static org.ifpp.crypto.pki.ValidationFailure.EXPIRED;
import static org.ifpp.crypto.pki.ValidationFailure.MALFORMED;
import static org.ifpp.crypto.pki.ValidationFailure.NOT_YET_VALID;
import static org.ifpp.crypto.pki.ValidationFailure.UNSUPPORTED_KEY;
import static org.ifpp.crypto.pki.ValidationFailure.WRONG_ROLE;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.EcDomains;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.EcdsaVerification;

/**
 * The individual checks of an SGP.22 certificate profile (section 4.5.2), done with BouncyCastle's
 * lightweight API so that brainpoolP256r1 works (SunEC cannot verify it). Each check either returns
 * or throws {@link CheckFailed} with the reason.
 */
final class CertificateChecks {

  private static final ASN1ObjectIdentifier ECDSA_WITH_SHA256 =
      X9ObjectIdentifiers.ecdsa_with_SHA256;

  /** Extensions this profile understands; any other critical extension is refused (RFC 5280). */
  private static final Set<ASN1ObjectIdentifier> KNOWN =
      Set.of(
          Extension.keyUsage,
          Extension.certificatePolicies,
          Extension.basicConstraints,
          Extension.nameConstraints,
          Extension.subjectKeyIdentifier,
          Extension.authorityKeyIdentifier,
          Extension.subjectAlternativeName,
          Extension.cRLDistributionPoints);

  private CertificateChecks() {}

  /** Parses a DER certificate strictly (no BER, no trailing bytes, version 3). */
  public static X509CertificateHolder parse(byte[] der) throws CheckFailed {
    if (der == null || der.length == 0) {
      throw new CheckFailed(MALFORMED, "no certificate");
    }
    try {
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
      Certificate certificate = Certificate.getInstance(primitive);
      if (!Arrays.equals(certificate.getEncoded(ASN1Encoding.DER), der)) {
        throw new CheckFailed(MALFORMED, "certificate is not DER");
      }
      if (certificate.getVersionNumber() != 3) {
        throw new CheckFailed(MALFORMED, "certificate is not X.509 version 3");
      }
      X509CertificateHolder holder = new X509CertificateHolder(certificate);
      rejectUnknownCriticalExtensions(holder);
      return holder;
    } catch (IOException | RuntimeException e) {
      throw new CheckFailed(MALFORMED, "not an X.509 certificate");
    }
  }

  public static X509CertificateHolder parse(X509Certificate certificate) throws CheckFailed {
    if (certificate == null) {
      throw new CheckFailed(MALFORMED, "no certificate");
    }
    try {
      return parse(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CheckFailed(MALFORMED, "certificate cannot be encoded");
    }
  }

  private static void rejectUnknownCriticalExtensions(X509CertificateHolder holder)
      throws CheckFailed {
    Extensions extensions = holder.getExtensions();
    if (extensions == null) {
      return;
    }
    for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
      if (!KNOWN.contains(oid)) {
        throw new CheckFailed(MALFORMED, "unsupported critical extension " + oid.getId());
      }
    }
  }

  /**
   * Verifies the ecdsa-with-SHA256 signature of {@code holder} under {@code issuerKey}: the DER
   * signature (canonical only) as {@code r||s} through {@link EcdsaVerification}, native for P-256
   * when ACCP is present (a tenth of BouncyCastle's cost: the Key Maker checks a certificate per
   * chip on eUICC data import), BouncyCastle otherwise.
   */
  public static void verifySignedBy(X509CertificateHolder holder, SubjectPublicKeyInfo issuerKey)
      throws CheckFailed {
    byte[] tbs;
    try {
      tbs = holder.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new CheckFailed(BAD_SIGNATURE, "signature does not verify with the issuer's key");
    }
    verifySignedBy(holder, tbs, issuerKey, true);
  }

  /**
   * As {@link #verifySignedBy(X509CertificateHolder, SubjectPublicKeyInfo)} for a certificate
   * {@link #parse(byte[]) parsed} from {@code der}: the signed bytes are the TBSCertificate's slice
   * of {@code der} (equal to its DER encoding, which parse checked), not a new encoding.
   */
  static void verifySignedBy(
      X509CertificateHolder holder, byte[] der, SubjectPublicKeyInfo issuerKey) throws CheckFailed {
    verifySignedBy(holder, der, issuerKey, false);
  }

  private static void verifySignedBy(
      X509CertificateHolder holder, byte[] bytes, SubjectPublicKeyInfo issuerKey, boolean isTbs)
      throws CheckFailed {
    Certificate c = holder.toASN1Structure();
    if (!ECDSA_WITH_SHA256.equals(c.getSignatureAlgorithm().getAlgorithm())
        || !c.getSignatureAlgorithm().equals(c.getTBSCertificate().getSignature())) {
      throw new CheckFailed(BAD_SIGNATURE, "signature algorithm is not ecdsa-with-SHA256");
    }
    boolean valid;
    try {
      byte[] raw = rawSignature(c.getSignature().getOctets());
      valid =
          raw != null
              && EcdsaVerification.verifyRaw(ecKey(issuerKey), isTbs ? bytes : tbsOf(bytes), raw);
    } catch (CheckFailed | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new CheckFailed(BAD_SIGNATURE, "signature does not verify with the issuer's key");
    }
  }

  /** The first element (TBSCertificate) of the DER SEQUENCE {@code der}, as bytes. */
  static byte[] tbsOf(byte[] der) {
    int inner = 1 + lengthOfLength(der, 1);
    int length = inner + 1 + lengthOfLength(der, inner + 1) + length(der, inner + 1);
    return Arrays.copyOfRange(der, inner, length);
  }

  /** The number of length octets at {@code at}. */
  private static int lengthOfLength(byte[] der, int at) {
    int first = der[at] & 0xFF;
    return first < 0x80 ? 1 : 1 + (first & 0x7F);
  }

  /** The content length encoded at {@code at} (DER: definite, at most 4 octets here). */
  private static int length(byte[] der, int at) {
    int first = der[at] & 0xFF;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7F;
    if (n == 0 || n > 4) {
      throw new IllegalArgumentException("unsupported length");
    }
    int len = 0;
    for (int i = 1; i <= n; i++) {
      len = (len << 8) | (der[at + i] & 0xFF);
    }
    return len;
  }

  /**
   * The {@code r||s} form (32 bytes each) of a DER ECDSA-Sig-Value; null unless it is exactly one
   * canonical DER SEQUENCE of two positive INTEGERs of at most 256 bits.
   */
  static byte[] rawSignature(byte[] der) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(der);
      if (!(p instanceof ASN1Sequence seq)
          || seq.size() != 2
          || !Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) {
        return null;
      }
      byte[] out = new byte[64];
      for (int i = 0; i < 2; i++) {
        if (!(seq.getObjectAt(i) instanceof ASN1Integer n) || n.getValue().signum() <= 0) {
          return null;
        }
        byte[] v = n.getValue().toByteArray();
        int skip = v[0] == 0 ? 1 : 0;
        int len = v.length - skip;
        if (len > 32) {
          return null;
        }
        System.arraycopy(v, skip, out, i * 32 + 32 - len, len);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  public static void checkValidity(X509CertificateHolder holder, Instant now, String what)
      throws CheckFailed {
    TBSCertificate tbs = holder.toASN1Structure().getTBSCertificate();
    if (now.isBefore(instant(tbs.getStartDate()))) {
      throw new CheckFailed(NOT_YET_VALID, what + " is valid from " + holder.getNotBefore());
    }
    if (now.isAfter(instant(tbs.getEndDate()))) {
      throw new CheckFailed(EXPIRED, what + " expired at " + holder.getNotAfter());
    }
  }

  /**
   * A certificate time as an instant: the DER forms RFC 5280 prescribes (UTCTime {@code
   * YYMMDDHHMMSSZ}, years 1950-2049; GeneralizedTime {@code YYYYMMDDHHMMSSZ}) read directly, any
   * other form through BouncyCastle's date parsing (which costs more than a signature check).
   */
  static Instant instant(Time time) {
    ASN1Primitive p = time.toASN1Primitive();
    String s = "";
    if (p instanceof ASN1UTCTime || p instanceof ASN1GeneralizedTime) {
      try {
        byte[] tlv = p.getEncoded(ASN1Encoding.DER);
        if (tlv.length > 2 && tlv[1] > 0 && tlv[1] == tlv.length - 2) {
          s = new String(tlv, 2, tlv[1], java.nio.charset.StandardCharsets.US_ASCII);
        }
      } catch (IOException e) {
        s = "";
      }
    }
    int yearDigits = p instanceof ASN1UTCTime ? 2 : 4;
    if (s.length() == yearDigits + 11 && s.charAt(s.length() - 1) == 'Z' && digits(s)) {
      int year = Integer.parseInt(s.substring(0, yearDigits));
      if (yearDigits == 2) {
        year += year >= 50 ? 1900 : 2000;
      }
      int i = yearDigits;
      try {
        return LocalDateTime.of(
                year,
                Integer.parseInt(s.substring(i, i + 2)),
                Integer.parseInt(s.substring(i + 2, i + 4)),
                Integer.parseInt(s.substring(i + 4, i + 6)),
                Integer.parseInt(s.substring(i + 6, i + 8)),
                Integer.parseInt(s.substring(i + 8, i + 10)))
            .toInstant(ZoneOffset.UTC);
      } catch (java.time.DateTimeException e) {
        // not a calendar date: BouncyCastle decides below
      }
    }
    return time.getDate().toInstant();
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length() - 1; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Requires the SGP.22 role: the certificate policy, the key usage bits, and the CA flag.
   *
   * @param keyUsage the {@link KeyUsage} bits that must all be set
   */
  public static void requireRole(
      X509CertificateHolder holder, RspRole role, int keyUsage, boolean ca, String what)
      throws CheckFailed {
    try {
      CertificatePolicies policies = CertificatePolicies.fromExtensions(holder.getExtensions());
      if (policies == null
          || policies.getPolicyInformation(new ASN1ObjectIdentifier(role.oid())) == null) {
        throw new CheckFailed(WRONG_ROLE, what + " lacks certificate policy " + role.oid());
      }
      KeyUsage usage = KeyUsage.fromExtensions(holder.getExtensions());
      if (usage == null || !usage.hasUsages(keyUsage)) {
        throw new CheckFailed(WRONG_ROLE, what + " lacks the required key usage");
      }
      BasicConstraints constraints = BasicConstraints.fromExtensions(holder.getExtensions());
      boolean isCa = constraints != null && constraints.isCA();
      if (isCa != ca) {
        throw new CheckFailed(WRONG_ROLE, what + (ca ? " is not a CA" : " must not be a CA"));
      }
    } catch (IllegalArgumentException e) {
      throw new CheckFailed(MALFORMED, what + " has an undecodable role extension");
    }
  }

  /** The subject key as an {@link EcPublicKey} on an IFPP curve. */
  public static EcPublicKey ecKey(SubjectPublicKeyInfo info) throws CheckFailed {
    try {
      if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
          || !(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curveOid)) {
        throw new CheckFailed(UNSUPPORTED_KEY, "subject key is not an EC key on a named curve");
      }
      Curve curve = Curve.fromOid(curveOid.getId());
      byte[] point = info.getPublicKeyData().getOctets();
      // The cached domain: the named-curve table builds the curve again on every lookup.
      byte[] uncompressed = EcDomains.of(curve).getCurve().decodePoint(point).getEncoded(false);
      return EcPublicKey.fromUncompressed(curve, uncompressed);
    } catch (RuntimeException e) {
      throw new CheckFailed(UNSUPPORTED_KEY, "subject key is not on P-256 or brainpoolP256r1");
    }
  }

  public static Optional<byte[]> subjectKeyId(X509CertificateHolder holder) throws CheckFailed {
    try {
      SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(holder.getExtensions());
      return Optional.ofNullable(ski).map(SubjectKeyIdentifier::getKeyIdentifier);
    } catch (IllegalArgumentException e) {
      throw new CheckFailed(MALFORMED, "undecodable subjectKeyIdentifier");
    }
  }

  /**
   * The keyIdentifier of the Authority Key Identifier, which SGP.22 makes mandatory except in a
   * self-issued certificate (RFC 5280 4.2.1.1), where the subject key id stands in for it.
   */
  public static byte[] authorityKeyId(X509CertificateHolder holder, String what)
      throws CheckFailed {
    try {
      AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(holder.getExtensions());
      if (aki == null && holder.getIssuer().equals(holder.getSubject())) {
        Optional<byte[]> ski = subjectKeyId(holder);
        if (ski.isPresent()) {
          return ski.get();
        }
      }
      if (aki == null || aki.getKeyIdentifier() == null) {
        throw new CheckFailed(MALFORMED, what + " has no authorityKeyIdentifier");
      }
      return aki.getKeyIdentifier();
    } catch (IllegalArgumentException e) {
      throw new CheckFailed(MALFORMED, what + " has an undecodable authorityKeyIdentifier");
    }
  }
}
