package org.ifpp.euicc.manufacturing.internal;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the certificates an EUM issues: CERT.EUICC under the EUM key (SGP.22 policy
 * id-rspRole-euicc 2.23.146.1.2.1.1, key usage digitalSignature, subject serialNumber = EID), and,
 * for a development PKI only, a self-signed test CI and an EUM certificate whose name constraints
 * limit its EIDs to a prefix (as the SGP.26 test EUM does).
 */
public final class CertificateIssuer {

  /** SGP.22 id-rspRole-ci. */
  public static final String POLICY_CI = "2.23.146.1.2.1.0";

  /** SGP.22 id-rspRole-euicc. */
  public static final String POLICY_EUICC = "2.23.146.1.2.1.1";

  /** SGP.22 id-rspRole-eum. */
  public static final String POLICY_EUM = "2.23.146.1.2.1.2";

  private CertificateIssuer() {}

  public static X509Certificate issueEuicc(
      X509Certificate eum, PrivateKey eumKey, String eid, PublicKey key, SecureRandom random) {
    X500Name eumName = X500Name.getInstance(eum.getSubjectX500Principal().getEncoded());
    X500Name subject =
        new X500Name(organisationPrefix(eumName) + ",SERIALNUMBER=" + eid + ",CN=eUICC");
    Instant now = Instant.now();
    return build(
        eum,
        eumKey,
        subject,
        key,
        now.minus(Duration.ofDays(1)),
        eum.getNotAfter().toInstant(),
        POLICY_EUICC,
        false,
        null,
        random);
  }

  public static X509Certificate selfSignedCi(
      String name, PublicKey key, PrivateKey signingKey, SecureRandom random) {
    Instant now = Instant.now();
    return build(
        null,
        signingKey,
        new X500Name(name),
        key,
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(365 * 30)),
        POLICY_CI,
        true,
        null,
        random);
  }

  public static X509Certificate eum(
      X509Certificate ci,
      PrivateKey ciKey,
      String organisation,
      String eidPrefix,
      PublicKey key,
      SecureRandom random) {
    Instant now = Instant.now();
    X500Name constraint = new X500Name("O=" + organisation + ",SERIALNUMBER=" + eidPrefix);
    NameConstraints nc =
        new NameConstraints(
            new GeneralSubtree[] {new GeneralSubtree(new GeneralName(constraint))}, null);
    return build(
        ci,
        ciKey,
        new X500Name("C=XX,O=" + organisation + ",CN=EUM " + organisation),
        key,
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(365 * 25)),
        POLICY_EUM,
        true,
        nc,
        random);
  }

  private static String organisationPrefix(X500Name eumName) {
    StringBuilder sb = new StringBuilder();
    for (var rdn : eumName.getRDNs()) {
      String type = rdn.getFirst().getType().getId();
      if (type.equals("2.5.4.6") || type.equals("2.5.4.10")) {
        if (!sb.isEmpty()) {
          sb.append(',');
        }
        sb.append(type.equals("2.5.4.6") ? "C=" : "O=")
            .append(rdn.getFirst().getValue().toString());
      }
    }
    return sb.isEmpty() ? "O=EUM" : sb.toString();
  }

  private static X509Certificate build(
      X509Certificate issuer,
      PrivateKey issuerKey,
      X500Name subject,
      PublicKey subjectKey,
      Instant notBefore,
      Instant notAfter,
      String policy,
      boolean ca,
      NameConstraints nameConstraints,
      SecureRandom random) {
    try {
      X500Name issuerName =
          issuer == null
              ? subject
              : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(63, random).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKey);
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          issuer == null
              ? ext.createAuthorityKeyIdentifier(subjectKey)
              : ext.createAuthorityKeyIdentifier(issuer.getPublicKey()));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
      b.addExtension(
          Extension.certificatePolicies,
          true,
          new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(policy))));
      if (ca) {
        b.addExtension(
            Extension.basicConstraints,
            true,
            issuer == null ? new BasicConstraints(true) : new BasicConstraints(0));
      }
      if (nameConstraints != null) {
        b.addExtension(Extension.nameConstraints, true, nameConstraints);
      }
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.BC).build(issuerKey);
      return new JcaX509CertificateConverter()
          .setProvider(Providers.BC)
          .getCertificate(b.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue certificate", e);
    }
  }
}
