package org.ifpp.crypto.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** The published SGP.26 test certificates and keys in {@code test-data/sgp26-certs}. */
public final class Sgp26 {

  /** A fixed instant at which every SGP.26 certificate used here is valid. */
  public static final Clock VALID_CLOCK =
      Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);

  public static final String EID = "89049032123451234512345678901235";

  private Sgp26() {}

  public static byte[] der(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PrivateKey privateKey(String pemName) {
    try (PEMParser parser =
        new PEMParser(new StringReader(Files.readString(dir().resolve(pemName))))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return new JcaPEMKeyConverter()
              .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
              .getPrivateKey(pair.getPrivateKeyInfo());
        }
      }
      throw new IllegalStateException("no EC private key in " + pemName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TrustAnchors allCis() {
    return TrustAnchors.fromDer(
        der("CERT_CI_ECDSA_NIST.der"), der("CERT_CI_ECDSA_BRP.der"), der("ci-2017.der"));
  }

  private static Path dir() {
    return Path.of(System.getProperty("ifpp.test-data.dir", "../test-data"), "sgp26-certs");
  }
}
