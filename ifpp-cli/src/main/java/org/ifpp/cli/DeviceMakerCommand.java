package org.ifpp.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ifpp device-maker}: a development device-maker key pair for finalisation
 * (docs/finalisation.md): PREFIX.key.pem, the private key (PKCS#8, owner-only) that the line's
 * finalisation step reads, and PREFIX.cert.der, the self-signed certificate the EUM writes into
 * each chip (the simulator's {@code deviceMakerCertificate} or {@code
 * ifpp.euicc.device-maker-certificate}).
 */
@Command(
    name = "device-maker",
    mixinStandardHelpOptions = true,
    description =
        "Generate a development device-maker key (EC P-256): PREFIX.key.pem (PKCS#8, owner-only)"
            + " and PREFIX.cert.der (self-signed, for the chips).")
final class DeviceMakerCommand implements Callable<Integer> {

  @Option(
      names = {"-o", "--output"},
      required = true,
      description = "output prefix")
  String prefix;

  @Option(
      names = "--organization",
      defaultValue = "IFPP Development Device Maker",
      description = "the certificate's organisation name")
  String organization;

  @Override
  public Integer call() throws IOException {
    DevelopmentCredential dm =
        new DevelopmentPki(Clock.systemUTC(), new SecureRandom()).createDeviceMaker(organization);
    Path key = Path.of(prefix + ".key.pem");
    byte[] pkcs8 = dm.privateKey().getEncoded();
    byte[] pem =
        ("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    java.util.Arrays.fill(pkcs8, (byte) 0);
    Io.writeAtomically(key, pem);
    java.util.Arrays.fill(pem, (byte) 0);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the directory's default permissions
    }
    Io.writeAtomically(Path.of(prefix + ".cert.der"), dm.certificateDer());
    return 0;
  }
}
