package org.ifpp.euicc.manufacturing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.euicc.store.AtomicFiles;

/**
 * Provides the EUM: the configured one, or a development CI + EUM ({@link DevelopmentPki})
 * generated at first start and persisted under {@code stateDir/eum} (ci.der, eum.der, eum-key.pem,
 * eid-prefix), so that chips made before and after a restart share one chain.
 */
public final class EumBootstrap {

  private EumBootstrap() {}

  public static EumAuthority loadOrCreate(
      Path eumDir, SimulatorProperties.Eum config, boolean fsync, SecureRandom random) {
    if (config != null && config.certificate() != null) {
      return new EumAuthority(
          CertificateFiles.read(config.certificate()),
          Pem.readPrivateKey(readString(config.privateKey())),
          config.ciCertificate() == null
              ? List.of()
              : List.of(CertificateFiles.read(config.ciCertificate())),
          config.eidPrefix());
    }
    Path ci = eumDir.resolve("ci.der");
    Path eum = eumDir.resolve("eum.der");
    Path key = eumDir.resolve("eum-key.pem");
    Path prefix = eumDir.resolve("eid-prefix");
    if (!Files.exists(eum)) {
      generate(eumDir, config == null ? "89049032999" : config.eidPrefix(), fsync, random);
    }
    return new EumAuthority(
        CertificateFiles.read(eum),
        Pem.readPrivateKey(readString(key)),
        List.of(CertificateFiles.read(ci)),
        readString(prefix).strip());
  }

  private static void generate(Path dir, String eidPrefix, boolean fsync, SecureRandom random) {
    try {
      Files.createDirectories(dir);
      DevelopmentPki pki = new DevelopmentPki(Clock.systemUTC(), random);
      DevelopmentCredential ci = pki.createCi(Curve.P256, "IFPP Development CI");
      DevelopmentCredential eum = pki.issueEum(ci, Curve.P256, "IFPP Simulated EUM", eidPrefix);
      write(dir.resolve("ci.der"), ci.certificateDer(), fsync);
      write(dir.resolve("eid-prefix"), eidPrefix.getBytes(StandardCharsets.US_ASCII), fsync);
      write(
          dir.resolve("eum-key.pem"),
          Pem.write(eum.privateKey()).getBytes(StandardCharsets.US_ASCII),
          fsync);
      // eum.der last: its presence marks a complete set.
      write(dir.resolve("eum.der"), eum.certificateDer(), fsync);
      // The CI private key is not kept: nothing here issues under the CI again.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create development EUM in " + dir, e);
    }
  }

  private static void write(Path file, byte[] data, boolean fsync) {
    AtomicFiles.replace(file, data, data.length, fsync);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
