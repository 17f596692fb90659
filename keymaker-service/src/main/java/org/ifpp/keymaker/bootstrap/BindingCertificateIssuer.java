package org.ifpp.keymaker.bootstrap;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.keymaker.hsm.HsmBootstrap;

/**
 * Certifies a binding key generated inside the HSM with a development CI (certificate and software
 * key, e.g. from {@code DevelopmentPki.createCi}): an SGP.22 CERT.DPpb profile (policy
 * 2.23.146.1.2.1.5, keyUsage digitalSignature, SKI/AKI). {@code DevelopmentPki} itself only
 * certifies keys it generates in software, which is why the HSM path issues here. Development and
 * tests only; production certificates come from the key ceremony (docs/key-ceremony.md).
 */
public final class BindingCertificateIssuer implements HsmBootstrap.CertificateIssuer {

  /** SGP.22 id-rspRole-dp-pb. */
  public static final String DP_PB_POLICY = "2.23.146.1.2.1.5";

  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private final X509Certificate ci;
  private final PrivateKey ciKey;
  private final String organization;
  private final String commonName;

  public BindingCertificateIssuer(
      X509Certificate ci, PrivateKey ciKey, String organization, String commonName) {
    this.ci = ci;
    this.ciKey = ciKey;
    this.organization = organization;
    this.commonName = commonName;
  }

  @Override
  public X509Certificate[] issue(EcPublicKey key) {
    try {
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, organization)
              .addRDN(BCStyle.CN, commonName)
              .build();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              ci,
              new BigInteger(64, new SecureRandom()).setBit(63),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(Duration.ofDays(3650))),
              subject,
              key.toJca());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ci));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.toJca()));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.certificatePolicies,
          true,
          new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(DP_PB_POLICY))));
      // SGP.22 4.5.2.1.0.1: the SM-DP+ OID, which chips copy into each result as smdpOid.
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(
                  GeneralName.registeredID,
                  new ASN1ObjectIdentifier(DevelopmentPki.DEVELOPMENT_SMDP_OID))));
      var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(ciKey);
      X509Certificate leaf =
          new JcaX509CertificateConverter().setProvider(BC).getCertificate(builder.build(signer));
      return new X509Certificate[] {leaf};
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue the binding certificate", e);
    }
  }
}
