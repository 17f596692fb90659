package org.ifpp.crypto.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ids.Eid;

/**
 * A development PKI with the SGP.22 section 4.5.2 certificate profiles, modelled on the SGP.26 test
 * certificates: a self-signed CI, the Key Maker's binding certificate (CERT.DPpb), EUM certificates
 * constrained to an EID prefix, and eUICC certificates carrying the EID as subject serialNumber.
 * Used by the simulator, the development Key Maker bootstrap and tests; never for production.
 *
 * <p>It does not check that an eUICC's EID lies in its EUM's range, so that tests can build chains
 * that a validator must reject. Key material stays in JCA objects and is never logged.
 */
public final class DevelopmentPki {

  private static final Provider BC = new BouncyCastleProvider();
  private static final Duration BACKDATE = Duration.ofDays(1);

  private final Clock clock;
  private final SecureRandom random;

  public DevelopmentPki(Clock clock) {
    this(clock, new SecureRandom());
  }

  public DevelopmentPki(Clock clock, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** A self-signed CI (SGP.22 4.5.2.1.0.1), valid for 35 years. */
  public DevelopmentCredential createCi(Curve curve, String commonName) {
    KeyPair keys = generateKeyPair(curve);
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, commonName)
            .addRDN(BCStyle.OU, "DEVELOPMENT")
            .addRDN(BCStyle.O, "IFPP")
            .build();
    return issue(
        name,
        keys,
        null,
        Duration.ofDays(35 * 365),
        RspRole.CI,
        KeyUsage.keyCertSign | KeyUsage.cRLSign,
        new BasicConstraints(true),
        null);
  }

  /**
   * The SM-DP+ OID of development binding certificates (in X.660's example arc 2.999): SGP.22
   * 4.5.2.1.0.1 gives CERT.DPpb a subjectAltName registeredID, which the eUICC copies into each
   * installation result as smdpOid.
   */
  public static final String DEVELOPMENT_SMDP_OID = "2.999.1";

  /**
   * A device maker's self-signed certificate (P-256, digitalSignature, no RSP role: SGP.41 leaves
   * the finalisation key to the device maker and the EUM), 10 years: the EUM writes its key into
   * each chip, which then trusts it for the finalisation command (docs/euicc-simulator.md).
   */
  public DevelopmentCredential createDeviceMaker(String organization) {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, organization + " finalisation")
            .addRDN(BCStyle.OU, "DEVELOPMENT")
            .addRDN(BCStyle.O, organization)
            .build();
    return issue(
        name,
        generateKeyPair(Curve.P256),
        null,
        Duration.ofDays(10 * 365),
        null,
        KeyUsage.digitalSignature,
        null,
        null);
  }

  /**
   * A Key Maker profile-binding certificate (CERT.DPpb, policy 2.23.146.1.2.1.5, subjectAltName
   * registeredID {@link #DEVELOPMENT_SMDP_OID}), 10 years.
   */
  public DevelopmentCredential issueBindingCertificate(
      DevelopmentCredential ci, Curve curve, String organization, String commonName) {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, organization)
            .addRDN(BCStyle.CN, commonName)
            .build();
    return issue(
        name,
        generateKeyPair(curve),
        ci,
        Duration.ofDays(10 * 365),
        RspRole.DP_PB,
        KeyUsage.digitalSignature,
        null,
        null);
  }

  /**
   * An EUM certificate (SGP.22 4.5.2.1.0.2) whose Name Constraints permit the EIDs starting with
   * {@code eidPrefix} (for example the 8-digit IIN + EUM identifier {@code 89049032}), 30 years.
   */
  public DevelopmentCredential issueEum(
      DevelopmentCredential ci, Curve curve, String organization, String eidPrefix) {
    if (eidPrefix == null || !eidPrefix.matches("[0-9]{1,30}")) {
      throw new IllegalArgumentException("EID prefix must be 1 to 30 digits");
    }
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, organization)
            .addRDN(BCStyle.CN, organization + " EUM")
            .build();
    X500Name range =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, organization)
            .addRDN(BCStyle.SERIALNUMBER, eidPrefix)
            .build();
    NameConstraints constraints =
        new NameConstraints(
            new GeneralSubtree[] {new GeneralSubtree(new GeneralName(range))}, null);
    return issue(
        name,
        generateKeyPair(curve),
        ci,
        Duration.ofDays(30 * 365),
        RspRole.EUM,
        KeyUsage.keyCertSign,
        new BasicConstraints(0),
        constraints);
  }

  /** An eUICC certificate (SGP.22 4.5.2.1.0.3) with the EID as subject serialNumber, 30 years. */
  public DevelopmentCredential issueEuicc(DevelopmentCredential eum, Curve curve, Eid eid) {
    X500Name eumName =
        X500Name.getInstance(eum.certificate().getSubjectX500Principal().getEncoded());
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    for (var rdn : eumName.getRDNs(BCStyle.O)) {
      name.addRDN(rdn.getFirst());
    }
    name.addRDN(BCStyle.SERIALNUMBER, eid.value()).addRDN(BCStyle.CN, "eUICC");
    return issue(
        name.build(),
        generateKeyPair(curve),
        eum,
        Duration.ofDays(30 * 365),
        RspRole.EUICC,
        KeyUsage.digitalSignature,
        null,
        null);
  }

  /** A fresh EC key pair on {@code curve} (BouncyCastle, so brainpool works on any JDK). */
  public KeyPair generateKeyPair(Curve curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
      generator.initialize(new ECGenParameterSpec(curve.jcaName()), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC key pair on " + curve, e);
    }
  }

  private DevelopmentCredential issue(
      X500Name subject,
      KeyPair keys,
      DevelopmentCredential issuer,
      Duration validity,
      RspRole role,
      int keyUsage,
      BasicConstraints basicConstraints,
      NameConstraints nameConstraints) {
    Instant now = clock.instant();
    X500Name issuerName =
        issuer == null
            ? subject
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(63, random).add(BigInteger.ONE),
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(validity)),
              subject,
              keys.getPublic());
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      if (issuer != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            new AuthorityKeyIdentifier(issuerKeyId(issuer.certificate())));
      }
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      if (role != null) {
        builder.addExtension(
            Extension.certificatePolicies,
            true,
            new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(role.oid()))));
      }
      if (basicConstraints != null) {
        builder.addExtension(Extension.basicConstraints, true, basicConstraints);
      }
      if (nameConstraints != null) {
        builder.addExtension(Extension.nameConstraints, true, nameConstraints);
      }
      if (role == RspRole.DP_PB) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName(
                    GeneralName.registeredID, new ASN1ObjectIdentifier(DEVELOPMENT_SMDP_OID))));
      }
      var signer =
          new JcaContentSignerBuilder("SHA256withECDSA")
              .setProvider(BC)
              .build(issuer == null ? keys.getPrivate() : issuer.privateKey());
      X509Certificate certificate =
          new JcaX509CertificateConverter().setProvider(BC).getCertificate(builder.build(signer));
      return new DevelopmentCredential(certificate, keys.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue development certificate " + subject, e);
    }
  }

  /** The issuer's own Subject Key Identifier, which its certificates name as authority key id. */
  private static byte[] issuerKeyId(X509Certificate issuer) throws java.io.IOException {
    byte[] ext = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    return SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(ext))
        .getKeyIdentifier();
  }
}
