package org.ifpp.keymaker.bootstrap;

import java.io.FileReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.ifpp.crypto.ec.Curve;
import org.ifpp.crypto.pki.DevelopmentCredential;
import org.ifpp.crypto.pki.DevelopmentPki;
import org.ifpp.keymaker.hsm.HsmBootstrap;
import org.ifpp.keymaker.hsm.HsmProperties;
import org.ifpp.keymaker.hsm.Pkcs11Token;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts the Key Maker's keys on a PKCS#11 token (development, tests, CI, demo; production uses the
 * key ceremony of docs/key-ceremony.md). Two modes:
 *
 * <ul>
 *   <li>generate (default): binding key generated inside the token, certified by a development CI
 *       (given as {@code --ci-cert}/{@code --ci-key}, or created with {@code DevelopmentPki} and
 *       written to {@code --ci-out}); KEK generated inside the token.
 *   <li>import: {@code --import-key PEM --import-cert DER} (e.g. the SGP.26 test DPpb) becomes the
 *       binding key; KEK generated if missing.
 * </ul>
 *
 * The binding certificate is stored on the token with its key, and written to {@code --cert-out}.
 * PIN: {@code KEYMAKER_HSM_PIN} or {@code --pin-file}.
 */
@Command(
    name = "keymaker-bootstrap",
    mixinStandardHelpOptions = true,
    description = "Initialise the Key Maker's keys on a PKCS#11 token (development/test).")
public final class BootstrapCommand implements Callable<Integer> {

  @Option(names = "--library", defaultValue = "/usr/lib/softhsm/libsofthsm2.so")
  String library;

  @Option(names = "--token-label", required = true)
  String tokenLabel;

  @Option(names = "--pin-file", description = "else the environment variable KEYMAKER_HSM_PIN")
  Path pinFile;

  @Option(names = "--signing-key-label", defaultValue = "ifpp-binding")
  String signingKeyLabel;

  @Option(names = "--kek-label", defaultValue = "ifpp-kek")
  String kekLabel;

  @Option(names = "--curve", defaultValue = "P256")
  String curve;

  @Option(names = "--replace", description = "replace an existing binding key")
  boolean replace;

  @Option(names = "--ci-cert", description = "DER certificate of the development CI")
  Path ciCert;

  @Option(names = "--ci-key", description = "PEM private key of the development CI")
  Path ciKey;

  @Option(
      names = "--ci-out",
      description = "create a development CI and write ci.der/ci-key.pem here")
  Path ciOut;

  @Option(names = "--import-key", description = "PEM private key to import as the binding key")
  Path importKey;

  @Option(names = "--import-cert", description = "DER certificate of the imported key")
  Path importCert;

  @Option(names = "--cert-out", description = "write the binding certificate (DER) here")
  Path certOut;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BootstrapCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String envPin = System.getenv("KEYMAKER_HSM_PIN");
    HsmProperties properties =
        new HsmProperties(
            library, tokenLabel, envPin, pinFile, signingKeyLabel, kekLabel, Curve.parse(curve));
    Pkcs11Token token = Pkcs11Token.open(properties);
    HsmBootstrap bootstrap = new HsmBootstrap(token);
    HsmBootstrap.Outcome outcome;
    if (importKey != null) {
      if (importCert == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--import-key needs --import-cert");
      }
      outcome =
          bootstrap.importSigningKey(
              readPrivateKey(importKey), new X509Certificate[] {readCertificate(importCert)});
    } else {
      outcome = bootstrap.initialise(Curve.parse(curve), issuer(), replace);
    }
    if (certOut != null) {
      Files.write(certOut, outcome.leaf().getEncoded());
    }
    System.out.println(
        "binding key '"
            + signingKeyLabel
            + "' "
            + (outcome.signingKeyCreated() ? "created" : "kept")
            + ", KEK '"
            + kekLabel
            + "' "
            + (outcome.kekCreated() ? "created" : "kept"));
    System.out.println("-----BEGIN CERTIFICATE-----");
    System.out.println(
        Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(outcome.leaf().getEncoded()));
    System.out.println("-----END CERTIFICATE-----");
    return 0;
  }

  private HsmBootstrap.CertificateIssuer issuer() throws IOException {
    if (ciCert != null && ciKey != null) {
      return new BindingCertificateIssuer(
          readCertificate(ciCert), readPrivateKey(ciKey), "IFPP Development", "IFPP Key Maker");
    }
    if (ciOut == null) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "give --ci-cert and --ci-key, or --ci-out to create a CI");
    }
    DevelopmentCredential ci =
        new DevelopmentPki(Clock.systemUTC()).createCi(Curve.parse(curve), "IFPP Development CI");
    Files.createDirectories(ciOut);
    Files.write(ciOut.resolve("ci.der"), ci.certificateDer());
    Files.writeString(
        ciOut.resolve("ci-key.pem"),
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(ci.privateKey().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new BindingCertificateIssuer(
        ci.certificate(), ci.privateKey(), "IFPP Development", "IFPP Key Maker");
  }

  static X509Certificate readCertificate(Path der) throws IOException {
    try (InputStream in = Files.newInputStream(der)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("not an X.509 certificate: " + der, e);
    }
  }

  /** Reads a PEM EC private key (SEC1 "EC PRIVATE KEY" or PKCS#8), skipping EC PARAMETERS. */
  public static PrivateKey readPrivateKey(Path pem) throws IOException {
    try (PEMParser parser = new PEMParser(new FileReader(pem.toFile()))) {
      List<Object> seen = new ArrayList<>();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        PrivateKeyInfo info = null;
        if (o instanceof PEMKeyPair pair) {
          info = pair.getPrivateKeyInfo();
        } else if (o instanceof PrivateKeyInfo pki) {
          info = pki;
        }
        if (info != null) {
          return KeyFactory.getInstance("EC", new BouncyCastleProvider())
              .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
        seen.add(o);
      }
      throw new IOException("no private key in " + pem);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("unreadable private key " + pem, e);
    }
  }
}
