package org.ifpp.keymaker.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.bpp.BoundProfilePackage;
import org.ifpp.crypto.bpp.BoundProfilePackageBuilder;
import org.ifpp.crypto.bpp.BoundProfilePackageOpener;
import org.ifpp.crypto.bpp.OpeningResult;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.bpp.ProtectedProfilePackage;
import org.ifpp.crypto.bpp.UnprotectedProfilePackage;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.ec.OneTimeKeyPair;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.BindingValidation;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.testing.TestEuicc;
import org.ifpp.keymaker.bootstrap.BootstrapCommand;
import org.ifpp.keymaker.testing.TestHsm;
import org.ifpp.keymaker.testing.TestProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A brainpoolP256r1 binding key on the real SoftHSM token (IFPP.md section 5: P-256 by default,
 * brainpoolP256r1 possible), by both bootstrap paths: generated in the token and certified by a
 * brainpool development CI ({@code --curve brainpoolp256r1}), and the imported SGP.26 brainpool
 * DPpb. Each binds a TS.48 profile to a brainpool chip one-time key with the HSM signer and the
 * chip side opens it, verifying the binding certificate against the brainpool CI.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BrainpoolBindingIT {

  private static final Eid EID = Eid.of("89049032123451234512345678901235");
  private static final HostId HOST = HostId.ofText("IFPP-KeyMaker");
  private static final Path VECTORS =
      Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");

  private final SecureRandom random = new SecureRandom();

  @TempDir Path dir;

  @Test
  void generatedBrainpoolKey_certifiedByABrainpoolCi_bindsAProfileTheChipOpens() throws Exception {
    HsmProperties props = brainpoolLabels();
    assertThat(
            bootstrapBrainpool(
                props,
                "--ci-out",
                dir.resolve("ci").toString(),
                "--cert-out",
                dir.resolve("binding.der").toString()))
        .isZero();
    X509Certificate ci = certificate(dir.resolve("ci/ci.der"));
    assertThat(ci.getPublicKey().getEncoded()).isNotEmpty();
    BindingValidation v =
        new BindingCertificateValidator(TrustAnchors.fromDer(ci.getEncoded()), Clock.systemUTC())
            .validate(Files.readAllBytes(dir.resolve("binding.der")));
    assertThat(v).isInstanceOf(BindingValidation.Valid.class);

    Pkcs11Token token = Pkcs11Token.open(props);
    assertThat(token.privateKey(props.signingKeyLabel()).getEncoded()).isNull();
    HsmSigner signer = new HsmSigner(token);
    assertThat(signer.curve()).isEqualTo(Curve.BRAINPOOL_P256R1);
    assertThat(signer.verifierProviderName()).isEqualTo("BC");

    bindAndOpen(signer, ci);
    assertThat(signer.invalidSignatureCount()).isZero();
  }

  @Test
  void importedSgp26BrainpoolDpPb_bindsAProfileTheChipOpens() throws Exception {
    HsmProperties props = brainpoolLabels();
    assertThat(
            bootstrapBrainpool(
                props,
                "--import-key",
                VECTORS.resolve("SK_S_SM_DPpb_ECDSA_BRP.pem").toString(),
                "--import-cert",
                VECTORS.resolve("CERT_S_SM_DPpb_ECDSA_BRP.der").toString()))
        .isZero();
    X509Certificate ci = certificate(VECTORS.resolve("CERT_CI_ECDSA_BRP.der"));
    Pkcs11Token token = Pkcs11Token.open(props);
    assertThat(token.privateKey(props.signingKeyLabel()).getEncoded()).isNull();
    HsmSigner signer = new HsmSigner(token);
    assertThat(signer.curve()).isEqualTo(Curve.BRAINPOOL_P256R1);
    BindingValidation v =
        new BindingCertificateValidator(TrustAnchors.fromDer(ci.getEncoded()), Clock.systemUTC())
            .validate(signer.certificateChain()[0]);
    assertThat(v).isInstanceOf(BindingValidation.Valid.class);
    byte[] m = "brainpool".getBytes(StandardCharsets.US_ASCII);
    assertThat(EcdsaVerification.verifyRaw(signer.publicKey(), m, signer.sign(m))).isTrue();

    bindAndOpen(signer, ci);
  }

  @Test
  void brainpoolBindingKey_refusesAP256OneTimeKey() throws Exception {
    HsmProperties props = brainpoolLabels();
    new HsmBootstrap(Pkcs11Token.open(props))
        .initialise(Curve.BRAINPOOL_P256R1, TestHsm.testCi(), false);
    HsmSigner signer = new HsmSigner(Pkcs11Token.open(props));
    assertThat(signer.curve()).isEqualTo(Curve.BRAINPOOL_P256R1);
    var p256Key = OneTimeKeyPair.generate(Curve.P256, random).publicKey();
    assertThatThrownBy(() -> BoundProfilePackageBuilder.bind(signer, HOST, EID, p256Key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("curve");
  }

  /** Runs the bootstrap command on the test token with a brainpool key and {@code keySource}. */
  private static int bootstrapBrainpool(HsmProperties props, String... keySource) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--token-label", props.tokenLabel(),
                "--pin-file", props.pinFile().toString(),
                "--signing-key-label", props.signingKeyLabel(),
                "--kek-label", props.kekLabel(),
                "--curve", "brainpoolp256r1"));
    args.addAll(List.of(keySource));
    return new CommandLine(new BootstrapCommand()).execute(args.toArray(String[]::new));
  }

  /** PPK mode with the first TS.48 profile; the chip must get back exactly the same bytes. */
  private void bindAndOpen(HsmSigner signer, X509Certificate ci) throws Exception {
    byte[] plain = TestProfiles.load(TestProfiles.NAMES[0]);
    TestEuicc chip = new TestEuicc(EID, ci, Curve.BRAINPOOL_P256R1, 2, random);
    BoundProfilePackage bpp;
    try (UnprotectedProfilePackage upp = UnprotectedProfilePackage.parse(plain);
        ProfileProtectionKeys ppks = ProfileProtectionKeys.generate(random)) {
      ProtectedProfilePackage ppp = ProtectedProfilePackage.protect(upp, ppks);
      bpp =
          BoundProfilePackageBuilder.bind(signer, HOST, EID, chip.oneTimeKey(0))
              .ppkMode(ppp, ppks)
              .build();
    }
    OpeningResult result =
        BoundProfilePackageOpener.open(bpp.encode(), signer.certificateChain()[0], chip);
    assertThat(result).isInstanceOf(OpeningResult.Installed.class);
    try (OpeningResult.Installed installed = (OpeningResult.Installed) result) {
      assertThat(installed.profile().toByteArray(SecretAccess.GRANTED)).isEqualTo(plain);
      assertThat(installed.usedOneTimeKey()).isEqualTo(chip.oneTimeKey(0));
      assertThat(installed.ppkMode()).isTrue();
    }
    assertThat(chip.isConsumed(chip.oneTimeKey(0))).isTrue();

    // The same package presented with a binding certificate from another CI is refused.
    TestEuicc otherChip =
        new TestEuicc(EID, TestHsm.CI.certificate(), Curve.BRAINPOOL_P256R1, 1, random);
    assertThat(
            BoundProfilePackageOpener.open(bpp.encode(), signer.certificateChain()[0], otherChip))
        .isNotInstanceOf(OpeningResult.Installed.class);
  }

  private HsmProperties brainpoolLabels() throws Exception {
    HsmProperties base = TestHsm.properties();
    Path pin = dir.resolve("pin-" + UUID.randomUUID());
    Files.writeString(pin, base.pin(), StandardCharsets.UTF_8);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return new HsmProperties(
        base.library(),
        base.tokenLabel(),
        null,
        pin,
        "bp-binding-" + suffix,
        "bp-kek-" + suffix,
        Curve.BRAINPOOL_P256R1);
  }

  private static X509Certificate certificate(Path der) throws Exception {
    try (var in = Files.newInputStream(der)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
