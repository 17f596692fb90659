package org.ifpp.keymaker.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.keymaker.bootstrap.BindingCertificateIssuer;
import org.ifpp.keymaker.hsm.HsmBootstrap;
import org.ifpp.keymaker.hsm.HsmProperties;

/**
 * The throwaway SoftHSM token of the integration tests (made per run by scripts/softhsm-token.sh,
 * see the failsafe configuration), with fresh key labels per caller so tests do not share keys.
 */
public final class TestHsm {

  private TestHsm() {}

  /** Properties for the test token with unique key labels. */
  public static HsmProperties properties() {
    String label = System.getProperty("keymaker.it.token-label");
    if (label == null || System.getenv("SOFTHSM2_CONF") == null) {
      throw new IllegalStateException(
          "run through failsafe (mvn verify): it creates the SoftHSM token and sets SOFTHSM2_CONF");
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return new HsmProperties(
        "/usr/lib/softhsm/libsofthsm2.so",
        label,
        System.getProperty("keymaker.it.pin"),
        null,
        "binding-" + suffix,
        "kek-" + suffix,
        Curve.P256);
  }

  /** Fresh key labels on the test token, with a signing key (test CI) and a KEK already made. */
  public static HsmProperties bootstrapped() {
    HsmProperties p = properties();
    new HsmBootstrap(org.ifpp.keymaker.hsm.Pkcs11Token.open(p))
        .initialise(Curve.P256, testCi(), false);
    return p;
  }

  /** Registers {@code p} as the application's keymaker.hsm.* properties. */
  public static void register(
      HsmProperties p, org.springframework.test.context.DynamicPropertyRegistry registry) {
    registry.add("keymaker.hsm.library", p::library);
    registry.add("keymaker.hsm.token-label", p::tokenLabel);
    registry.add("keymaker.hsm.pin", p::pin);
    registry.add("keymaker.hsm.signing-key-label", p::signingKeyLabel);
    registry.add("keymaker.hsm.kek-label", p::kekLabel);
  }

  /** The test CI of this JVM (software key), which certifies every test binding key. */
  public static final TestCi CI = TestCi.create();

  /** A certificate issuer backed by {@link #CI}. */
  public static HsmBootstrap.CertificateIssuer testCi() {
    return new BindingCertificateIssuer(CI.certificate(), CI.key(), "IFPP tests", "Test Key Maker");
  }

  /** A self-signed test CI. */
  public record TestCi(X509Certificate certificate, java.security.PrivateKey key) {
    static TestCi create() {
      try {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ci = kpg.generateKeyPair();
        X500Name name = new X500Name("CN=IFPP Test CI,O=IFPP tests");
        long now = System.currentTimeMillis();
        var builder =
            new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now),
                new Date(now - 60_000),
                new Date(now + 86_400_000L),
                name,
                ci.getPublic());
        builder.addExtension(
            org.bouncycastle.asn1.x509.Extension.basicConstraints,
            true,
            new org.bouncycastle.asn1.x509.BasicConstraints(true));
        var signer =
            new JcaContentSignerBuilder("SHA256withECDSA")
                .setProvider(new BouncyCastleProvider())
                .build(ci.getPrivate());
        X509Certificate cert =
            new JcaX509CertificateConverter()
                .setProvider(new BouncyCastleProvider())
                .getCertificate(builder.build(signer));
        return new TestCi(cert, ci.getPrivate());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
