package org.ifpp.euicc.manufacturing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.manufacturing.internal.CertificateFiles;
import org.ifpp.euicc.manufacturing.internal.CertificateIssuer;
import org.ifpp.euicc.manufacturing.internal.EcKeys;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.euicc.store.AtomicFiles;

/**
 * Provides the EUM: the configured one, or a development CI + EUM generated at first start and
 * persisted under {@code stateDir/eum} (ci.der, eum.der, eum-key.pem, eid-prefix), so that chips
 * made before and after a restart share one chain.
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
      KeyPair ciKey = EcKeys.generate(Curve.P256, random);
      X509Certificate ci =
          CertificateIssuer.selfSignedCi(
              "C=XX,O=IFPP Development CI,CN=IFPP Development CI",
              ciKey.getPublic(),
              ciKey.getPrivate(),
              random);
      KeyPair eumKey = EcKeys.generate(Curve.P256, random);
      X509Certificate eum =
          CertificateIssuer.eum(
              ci, ciKey.getPrivate(), "IFPP Simulated EUM", eidPrefix, eumKey.getPublic(), random);
      write(dir.resolve("ci.der"), ci.getEncoded(), fsync);
      write(dir.resolve("eid-prefix"), eidPrefix.getBytes(StandardCharsets.US_ASCII), fsync);
      write(
          dir.resolve("eum-key.pem"),
          Pem.write(eumKey.getPrivate()).getBytes(StandardCharsets.US_ASCII),
          fsync);
      // eum.der last: its presence marks a complete set.
      write(dir.resolve("eum.der"), eum.getEncoded(), fsync);
      // The CI private key is not kept: nothing here issues under the CI again.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create development EUM in " + dir, e);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
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
