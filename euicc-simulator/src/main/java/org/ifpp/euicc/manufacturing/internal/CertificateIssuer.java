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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ifpp.euicc.credentials.Providers;

/**
 * Issues what an EUM issues: CERT.EUICC under a loaded EUM certificate and key (SGP.22 4.5.2.1.0.3:
 * policy id-rspRole-euicc 2.23.146.1.2.1.1, key usage digitalSignature, subject {@code C/O} of the
 * EUM plus serialNumber = EID, so that the EUM's name constraints admit it). common-crypto's
 * DevelopmentPki cannot issue under an EUM loaded from files, hence this small issuer.
 */
public final class CertificateIssuer {

  /** SGP.22 id-rspRole-euicc. */
  public static final String POLICY_EUICC = "2.23.146.1.2.1.1";

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
