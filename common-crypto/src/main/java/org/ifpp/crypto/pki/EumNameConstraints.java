package org.ifpp.crypto.pki;

import static org.ifpp.crypto.pki.ValidationFailure.EID_OUTSIDE_EUM_RANGE;
import static org.ifpp.crypto.pki.ValidationFailure.MALFORMED;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The EUM certificate's Name Constraints as SGP.22 uses them (section 4.5.2.1.0.2): a permitted
 * subtree is a directoryName holding the EUM's organizationName and, as serialNumber, the EID
 * prefix (IIN + EUM identifier) of the EIDs the EUM may issue. SGP.26 {@code eum.der} carries
 * {@code O=RSP Test EUM, serialNumber=89049032}.
 *
 * <p>This is not RFC 5280 directoryName matching (which would compare leading RDNs, and the SGP.26
 * eUICC subject starts with C=DE): each attribute of the subtree must be present in the eUICC
 * subject with an equal value, except serialNumber, which the EID must start with.
 */
final class EumNameConstraints {

  private EumNameConstraints() {}

  /**
   * @throws CheckFailed EID_OUTSIDE_EUM_RANGE unless some permitted directoryName subtree matches
   *     and no excluded one does; an EUM without Name Constraints has no range and permits nothing
   */
  public static void check(X509CertificateHolder eum, X500Name euiccSubject, String eid)
      throws CheckFailed {
    prepare(eum).check(euiccSubject, eid);
  }

  /** The EUM's Name Constraints decoded once, for the checks of each of its eUICCs. */
  static Prepared prepare(X509CertificateHolder eum) {
    NameConstraints constraints;
    try {
      Extension ext = eum.getExtension(Extension.nameConstraints);
      if (ext == null) {
        return new Prepared(
            new CheckFailed(EID_OUTSIDE_EUM_RANGE, "EUM certificate has no Name Constraints"),
            List.of(),
            List.of());
      }
      constraints = NameConstraints.getInstance(ext.getParsedValue());
    } catch (IllegalArgumentException e) {
      return new Prepared(
          new CheckFailed(MALFORMED, "EUM certificate has undecodable Name Constraints"),
          List.of(),
          List.of());
    }
    return new Prepared(
        null, bases(constraints.getExcludedSubtrees()), bases(constraints.getPermittedSubtrees()));
  }

  /** A directoryName subtree's base, or null where it cannot be decoded. */
  private static List<Optional<X500Name>> bases(GeneralSubtree[] subtrees) {
    List<Optional<X500Name>> out = new ArrayList<>();
    if (subtrees == null) {
      return out;
    }
    for (GeneralSubtree subtree : subtrees) {
      if (subtree.getBase().getTagNo() == GeneralName.directoryName) {
        Optional<X500Name> base;
        try {
          base = Optional.of(X500Name.getInstance(subtree.getBase().getName()));
        } catch (IllegalArgumentException e) {
          base = Optional.empty();
        }
        out.add(base);
      }
    }
    return out;
  }

  /**
   * Decoded Name Constraints: the refusal that applies to every eUICC (none, or undecodable), or
   * the excluded and permitted directoryName bases in certificate order (empty where undecodable,
   * refused as MALFORMED when the check reaches it).
   */
  record Prepared(
      CheckFailed refusal, List<Optional<X500Name>> excluded, List<Optional<X500Name>> permitted) {

    void check(X500Name euiccSubject, String eid) throws CheckFailed {
      if (refusal != null) {
        throw new CheckFailed(refusal.reason(), refusal.detail());
      }
      if (anyMatch(excluded, euiccSubject, eid)) {
        throw new CheckFailed(EID_OUTSIDE_EUM_RANGE, "EID " + eid + " is in an excluded subtree");
      }
      if (!anyMatch(permitted, euiccSubject, eid)) {
        throw new CheckFailed(
            EID_OUTSIDE_EUM_RANGE, "EID " + eid + " is outside the EUM's permitted subtrees");
      }
    }
  }

  private static boolean anyMatch(List<Optional<X500Name>> bases, X500Name subject, String eid)
      throws CheckFailed {
    for (Optional<X500Name> base : bases) {
      if (base.isEmpty()) {
        throw new CheckFailed(MALFORMED, "EUM Name Constraints hold an undecodable name");
      }
      if (matches(base.get(), subject, eid)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(X500Name base, X500Name subject, String eid) {
    for (RDN rdn : base.getRDNs()) {
      for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
        String value = text(attribute);
        if (value == null) {
          return false;
        }
        if (BCStyle.SERIALNUMBER.equals(attribute.getType())) {
          if (value.isEmpty() || !eid.startsWith(value)) {
            return false;
          }
        } else if (!subjectHas(subject, attribute.getType(), value)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean subjectHas(X500Name subject, ASN1ObjectIdentifier type, String value) {
    String wanted = IETFUtils.canonicalString(new org.bouncycastle.asn1.DERUTF8String(value));
    for (RDN rdn : subject.getRDNs(type)) {
      for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
        String have = text(attribute);
        if (type.equals(attribute.getType())
            && have != null
            && wanted.equals(
                IETFUtils.canonicalString(new org.bouncycastle.asn1.DERUTF8String(have)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String text(AttributeTypeAndValue attribute) {
    return attribute.getValue() instanceof ASN1String s ? s.getString() : null;
  }
}
