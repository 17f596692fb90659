package org.ifpp.keymaker.testing;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.UUID;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
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

  /** The development PKI of this JVM's tests (CI, EUM, chips). */
  public static final DevelopmentPki PKI = new DevelopmentPki(Clock.systemUTC());

  /** The test CI of this JVM, which certifies every test binding key and EUM. */
  public static final DevelopmentCredential CI_CREDENTIAL =
      PKI.createCi(Curve.P256, "IFPP Test CI");

  /** The CI certificate and key. */
  public static final TestCi CI =
      new TestCi(CI_CREDENTIAL.certificate(), CI_CREDENTIAL.privateKey());

  /** A certificate issuer backed by {@link #CI}. */
  public static HsmBootstrap.CertificateIssuer testCi() {
    return new BindingCertificateIssuer(CI.certificate(), CI.key(), "IFPP tests", "Test Key Maker");
  }

  /** The CI's DER certificate in a temporary file (a trust anchor for eUICC data). */
  public static synchronized java.nio.file.Path ciFile() {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("ifpp-test-ci", ".der");
      java.nio.file.Files.write(f, CI_CREDENTIAL.certificateDer());
      f.toFile().deleteOnExit();
      return f;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A CI certificate and its key. */
  public record TestCi(X509Certificate certificate, java.security.PrivateKey key) {}
}
