package org.ifpp.keymaker.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.pki.BindingCertificateValidator;
import org.ifpp.crypto.pki.BindingValidation;
import org.ifpp.crypto.pki.TrustAnchors;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.keymaker.hsm.HsmProperties;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.ifpp.keymaker.hsm.Pkcs11Token;
import org.ifpp.keymaker.testing.TestHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bootstrap command on the test token: generate + certify, and import the SGP.26 DPpb. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BootstrapCommandIT {

  @TempDir Path dir;

  @Test
  void generate_createsTokenKeys_certifiedByANewDevelopmentCi() throws Exception {
    HsmProperties base = TestHsm.properties();
    Path pin = dir.resolve("pin");
    Files.writeString(pin, base.pin() + "\n", StandardCharsets.UTF_8);
    String label = "boot-" + UUID.randomUUID().toString().substring(0, 8);
    int rc =
        new CommandLine(new BootstrapCommand())
            .execute(
                "--token-label", base.tokenLabel(),
                "--pin-file", pin.toString(),
                "--signing-key-label", label,
                "--kek-label", label + "-kek",
                "--ci-out", dir.resolve("ci").toString(),
                "--cert-out", dir.resolve("binding.der").toString());
    assertThat(rc).isZero();
    byte[] ci = Files.readAllBytes(dir.resolve("ci/ci.der"));
    BindingValidation v =
        new BindingCertificateValidator(TrustAnchors.fromDer(ci), Clock.systemUTC())
            .validate(Files.readAllBytes(dir.resolve("binding.der")));
    assertThat(v).isInstanceOf(BindingValidation.Valid.class);

    HsmProperties props =
        new HsmProperties(
            base.library(), base.tokenLabel(), null, pin, label, label + "-kek", base.curve());
    HsmSigner signer = new HsmSigner(Pkcs11Token.open(props));
    byte[] m = "bootstrap".getBytes(StandardCharsets.US_ASCII);
    assertThat(EcdsaVerification.verifyRaw(signer.publicKey(), m, signer.sign(m))).isTrue();
    // A second run keeps the existing key.
    int again =
        new CommandLine(new BootstrapCommand())
            .execute(
                "--token-label", base.tokenLabel(),
                "--pin-file", pin.toString(),
                "--signing-key-label", label,
                "--kek-label", label + "-kek",
                "--ci-out", dir.resolve("ci2").toString());
    assertThat(again).isZero();
    assertThat(EcPublicKey.fromJca(signer.certificateChain()[0].getPublicKey()))
        .isEqualTo(signer.publicKey());
  }

  @Test
  void import_makesTheSgp26TestDpIdentityTheBindingKey() throws Exception {
    HsmProperties base = TestHsm.properties();
    Path pin = dir.resolve("pin");
    Files.writeString(pin, base.pin(), StandardCharsets.UTF_8);
    Path vectors = Path.of(System.getProperty("ifpp.test-data.dir"), "sgp26-certs");
    int rc =
        new CommandLine(new BootstrapCommand())
            .execute(
                "--token-label", base.tokenLabel(),
                "--pin-file", pin.toString(),
                "--signing-key-label", base.signingKeyLabel(),
                "--kek-label", base.kekLabel(),
                "--import-key", vectors.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
                "--import-cert", vectors.resolve("CERT_S_SM_DPpb_ECDSA_NIST.der").toString());
    assertThat(rc).isZero();
    HsmSigner signer = new HsmSigner(Pkcs11Token.open(base));
    BindingValidation v =
        new BindingCertificateValidator(
                TrustAnchors.fromDer(Files.readAllBytes(vectors.resolve("CERT_CI_ECDSA_NIST.der"))),
                Clock.systemUTC())
            .validate(signer.certificateChain()[0]);
    assertThat(v).isInstanceOf(BindingValidation.Valid.class);
    byte[] m = {1, 2, 3};
    assertThat(EcdsaVerification.verifyRaw(signer.publicKey(), m, signer.sign(m))).isTrue();
  }
}
