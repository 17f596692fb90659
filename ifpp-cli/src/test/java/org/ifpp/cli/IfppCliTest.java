package org.ifpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IfppCliTest {

  static final Path TEST_DATA = Path.of(System.getProperty("ifpp.test-data.dir", "../test-data"));
  static final Path CERTS = TEST_DATA.resolve("sgp26-certs");
  static final Path PROFILE = TEST_DATA.resolve("profiles/TS48V1-A-UNIQUE.der");
  static final String EID = "89049032123451234512345678901235";

  @TempDir Path dir;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void reset() {
    out = new StringWriter();
    err = new StringWriter();
  }

  int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return IfppCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  String otPk(String prefix) throws Exception {
    return Files.readString(dir.resolve(prefix + ".pub.hex")).strip();
  }

  @Test
  void deviceMaker_writesAnOwnerOnlyP256KeyAndItsCertificate_thatSignAndVerifyACommand()
      throws Exception {
    assertThat(run("device-maker", "-o", dir.resolve("dm").toString())).isZero();
    Path key = dir.resolve("dm.key.pem");
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    var signer =
        org.ifpp.crypto.signing.SoftwareSigner.fromPem(
            Files.readString(key), new java.security.SecureRandom());
    var cert =
        org.ifpp.crypto.pki.Certificates.requireFromDer(
            Files.readAllBytes(dir.resolve("dm.cert.der")));
    var command =
        new org.ifpp.crypto.finalisation.FinalisationCommand(org.ifpp.crypto.ids.Eid.of(EID), 1)
            .sign(signer);
    assertThat(command.verify(org.ifpp.crypto.ec.EcPublicKey.fromJca(cert.getPublicKey())))
        .isTrue();
  }

  @Test
  void keygenBindInspectOpen_roundTripsInBothModes() throws Exception {
    assertThat(run("keygen", "--curve", "p256", "-o", dir.resolve("chip").toString())).isZero();
    for (String mode : new String[] {"ppk", "session"}) {
      Path bpp = dir.resolve(mode + ".bpp");
      assertThat(bind(mode, bpp, "chip")).as(err.toString()).isZero();

      assertThat(run("inspect", bpp.toString(), "--json")).isZero();
      assertThat(out.toString())
          .contains("\"mode\":\"" + mode + "\"")
          .contains("\"remoteOpId\":1")
          .contains("\"iccid\":");

      Path upp = dir.resolve(mode + ".upp");
      assertThat(openWithChip(bpp, "chip", upp)).as(err.toString()).isZero();
      assertThat(Files.readAllBytes(upp)).isEqualTo(Files.readAllBytes(PROFILE));
    }
  }

  @Test
  void anotherChipsKey_isRejectedAndWritesNothing() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    run("keygen", "-o", dir.resolve("other").toString());
    Path bpp = dir.resolve("p.bpp");
    assertThat(bind("ppk", bpp, "chip")).isZero();

    Path upp = dir.resolve("clone.upp");
    assertThat(openWithChip(bpp, "other", upp)).isNotZero();
    assertThat(err.toString()).contains("invalidSignature").doesNotContain("Exception");
    assertThat(upp).doesNotExist();
  }

  @Test
  void deterministicBinding_withFixedInputs_isByteReproducible() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    run("keygen", "-o", dir.resolve("eph").toString());
    Path a = dir.resolve("a.bpp");
    Path b = dir.resolve("b.bpp");
    for (Path p : new Path[] {a, b}) {
      assertThat(
              run(
                  "bind",
                  "--upp",
                  PROFILE.toString(),
                  "--otpk-euicc",
                  otPk("chip"),
                  "--eid",
                  EID,
                  "--host-id",
                  "ifpp",
                  "--mode",
                  "session",
                  "--deterministic",
                  "--signing-key",
                  CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
                  "--ephemeral-key",
                  dir.resolve("eph.key.pem").toString(),
                  "--transaction-id",
                  "00112233445566778899AABBCCDDEEFF",
                  "-o",
                  p.toString()))
          .as(err.toString())
          .isZero();
    }
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void rawUpp_bindsOpaqueBytesAsTheyAre_withAWarning_reproducibly() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    run("keygen", "-o", dir.resolve("eph").toString());
    Path raw = Files.writeString(dir.resolve("recorded.upp"), "a recorded test string, not SAIP");
    Path meta =
        Files.write(
            dir.resolve("meta.der"),
            org.ifpp.crypto.bpp.StoreMetadataRequest.minimal(
                    org.ifpp.crypto.ids.Iccid.of("8949449999999990023"), "Op", "Test")
                .encode());
    Path[] outputs = {dir.resolve("a.bpp"), dir.resolve("b.bpp")};
    for (Path p : outputs) {
      assertThat(
              run(
                  "bind",
                  "--raw-upp",
                  raw.toString(),
                  "--metadata",
                  meta.toString(),
                  "--otpk-euicc",
                  otPk("chip"),
                  "--eid",
                  EID,
                  "--host-id",
                  "ifpp",
                  "--mode",
                  "session",
                  "--deterministic",
                  "--transaction-id",
                  "000102030405060708090A0B0C0D0E0F",
                  "--ephemeral-key",
                  dir.resolve("eph.key.pem").toString(),
                  "--signing-key",
                  CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
                  "-o",
                  p.toString()))
          .as(err.toString())
          .isZero();
      assertThat(err.toString()).contains("no profile checks ran");
    }
    assertThat(Files.readAllBytes(outputs[0])).isEqualTo(Files.readAllBytes(outputs[1]));
    assertThat(run("inspect", outputs[0].toString(), "--json")).isZero();
    assertThat(out.toString()).contains("\"mode\":\"session\"");
    // without metadata there is no ICCID: refused; --upp and --raw-upp together: refused
    assertThat(
            run(
                "bind",
                "--raw-upp",
                raw.toString(),
                "--otpk-euicc",
                otPk("chip"),
                "--eid",
                EID,
                "--host-id",
                "ifpp",
                "--signing-key",
                CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
                "-o",
                dir.resolve("c.bpp").toString()))
        .isNotZero();
    assertThat(err.toString()).contains("--metadata");
    assertThat(
            run(
                "bind",
                "--raw-upp",
                raw.toString(),
                "--upp",
                PROFILE.toString(),
                "--metadata",
                meta.toString(),
                "--otpk-euicc",
                otPk("chip"),
                "--eid",
                EID,
                "--host-id",
                "ifpp",
                "--signing-key",
                CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
                "-o",
                dir.resolve("d.bpp").toString()))
        .isNotZero();
    assertThat(dir.resolve("c.bpp")).doesNotExist();
    assertThat(dir.resolve("d.bpp")).doesNotExist();
  }

  @Test
  void rawHexScalar_isAcceptedAsKeyFile() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    Path hexKey = dir.resolve("signing.hex");
    Files.writeString(hexKey, "7a".repeat(32) + "\n");
    assertThat(
            run(
                "bind",
                "--upp",
                PROFILE.toString(),
                "--otpk-euicc",
                otPk("chip"),
                "--eid",
                EID,
                "--host-id",
                "ifpp",
                "--signing-key",
                hexKey.toString(),
                "-o",
                dir.resolve("x.bpp").toString()))
        .as(err.toString())
        .isZero();
  }

  @Test
  void badInputs_giveOneLineAndNonZeroExit() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    Path garbage = dir.resolve("garbage.bin");
    Files.write(garbage, "not a package".getBytes(StandardCharsets.US_ASCII));
    String[][] cases = {
      {"inspect", garbage.toString()},
      {"inspect", dir.resolve("missing.bin").toString()},
      {
        "bind",
        "--upp",
        PROFILE.toString(),
        "--otpk-euicc",
        "04ABCD",
        "--eid",
        EID,
        "--host-id",
        "h",
        "--signing-key",
        CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
        "-o",
        dir.resolve("o.bpp").toString()
      },
      {
        "bind",
        "--upp",
        PROFILE.toString(),
        "--otpk-euicc",
        otPk("chip"),
        "--eid",
        "89049032123451234512345678901234",
        "--host-id",
        "h",
        "--signing-key",
        CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
        "-o",
        dir.resolve("o.bpp").toString()
      },
      {
        "bind",
        "--upp",
        garbage.toString(),
        "--otpk-euicc",
        otPk("chip"),
        "--eid",
        EID,
        "--host-id",
        "h",
        "--signing-key",
        garbage.toString(),
        "-o",
        dir.resolve("o.bpp").toString()
      },
      {"keygen", "--curve", "secp384r1", "-o", dir.resolve("k").toString()},
      {"frobnicate"},
    };
    for (String[] args : cases) {
      assertThat(run(args)).as(String.join(" ", args)).isNotZero();
      String e = err.toString().strip();
      assertThat(e).as(String.join(" ", args)).startsWith("ifpp:").doesNotContain("\tat ");
    }
    assertThat(dir.resolve("o.bpp")).doesNotExist();
  }

  @Test
  void dpCertificate_fromAnotherCi_isRejected() throws Exception {
    run("keygen", "-o", dir.resolve("chip").toString());
    Path bpp = dir.resolve("p.bpp");
    assertThat(bind("ppk", bpp, "chip")).isZero();
    int code =
        run(
            "open",
            "--bpp",
            bpp.toString(),
            "--eid",
            EID,
            "--host-id",
            "ifpp-keymaker",
            "--otsk-euicc",
            dir.resolve("chip.key.pem").toString(),
            "--dp-cert",
            CERTS.resolve("CERT_S_SM_DPpb_ECDSA_NIST.der").toString(),
            "--ci",
            CERTS.resolve("CERT_CI_ECDSA_BRP.der").toString(),
            "-o",
            dir.resolve("x.upp").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("UNTRUSTED_ISSUER");
    assertThat(dir.resolve("x.upp")).doesNotExist();
  }

  private int bind(String mode, Path bpp, String chip) throws Exception {
    return run(
        "bind",
        "--upp",
        PROFILE.toString(),
        "--otpk-euicc",
        otPk(chip),
        "--eid",
        EID,
        "--host-id",
        "ifpp-keymaker",
        "--mode",
        mode,
        "--signing-key",
        CERTS.resolve("SK_S_SM_DPpb_ECDSA_NIST.pem").toString(),
        "-o",
        bpp.toString());
  }

  private int openWithChip(Path bpp, String chip, Path upp) {
    return run(
        "open",
        "--bpp",
        bpp.toString(),
        "--eid",
        EID,
        "--host-id",
        "ifpp-keymaker",
        "--otsk-euicc",
        dir.resolve(chip + ".key.pem").toString(),
        "--dp-cert",
        CERTS.resolve("CERT_S_SM_DPpb_ECDSA_NIST.der").toString(),
        "--ci",
        CERTS.resolve("CERT_CI_ECDSA_NIST.der").toString(),
        "-o",
        upp.toString());
  }

  @Test
  void pki_writesTheCaServersAndNamedClients_private_withoutTheCaKey() throws Exception {
    Path lines = dir.resolve("lines");
    Files.writeString(lines, "line-1=secret-one\nline-2=secret-two\n");
    Path pki = dir.resolve("tls");
    assertThat(run("pki", "-o", pki.toString(), "--lines-file", lines.toString())).isZero();
    java.util.List<String> files;
    try (var walk = Files.walk(pki)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(f -> pki.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertThat(files)
        .containsExactly(
            "ca.crt",
            "client/keymaker.crt",
            "client/keymaker.key",
            "client/line-1.crt",
            "client/line-1.key",
            "client/line-2.crt",
            "client/line-2.key",
            "server/broker.crt",
            "server/broker.key",
            "server/euicc-simulator.crt",
            "server/euicc-simulator.key",
            "server/keymaker.crt",
            "server/keymaker.key");
    for (String f : files) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(pki.resolve(f))))
          .as(f)
          .isEqualTo("rw-------");
      assertThat(Files.readString(pki.resolve(f))).doesNotContain("secret-one");
    }
    java.security.cert.X509Certificate line =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pki.resolve("client/line-1.crt")));
    assertThat(line.getSubjectX500Principal().getName()).contains("CN=line-1");
  }
}
