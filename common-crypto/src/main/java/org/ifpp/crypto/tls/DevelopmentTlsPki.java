package org.ifpp.crypto.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A development TLS PKI for the services' hops (never for production, where the site's own CA
 * issues these): one CA, server certificates for the Key Maker, the broker and the simulator, and
 * client certificates for the broker's clients (the Key Maker and each line), whose subject common
 * name is the broker client name the client's bearer token belongs to (the broker checks that they
 * match, docs/operations.md "TLS").
 *
 * <p>P-256 keys from the JDK's provider (what JSSE signs with), ECDSA with SHA-256. Private keys
 * are written as PKCS#8 PEM with mode 0600 and never leave the objects otherwise; {@link
 * Credential#toString()} shows only the subject.
 */
public final class DevelopmentTlsPki {

  /**
   * The default server names and their DNS names (the compose service names included: both
   * instances of the Key Maker and of the broker share their service's certificate).
   */
  public static final List<Server> DEFAULT_SERVERS =
      List.of(
          new Server("keymaker", List.of("keymaker", "keymaker-2")),
          new Server("broker", List.of("broker", "factory-broker", "factory-broker-2")),
          new Server("euicc-simulator", List.of("euicc-simulator")));

  /** A server: its file name and the DNS names its certificate carries besides localhost. */
  public record Server(String name, List<String> dnsNames) {
    public Server {
      checkName(name);
      dnsNames = List.copyOf(dnsNames);
    }
  }

  /** A certificate and its private key. */
  public record Credential(X509Certificate certificate, PrivateKey privateKey) {
    @Override
    public String toString() {
      return "Credential[" + certificate.getSubjectX500Principal().getName() + ", key redacted]";
    }
  }

  private final SecureRandom random;
  private final Credential ca;

  private DevelopmentTlsPki(SecureRandom random, Credential ca) {
    this.random = random;
    this.ca = ca;
  }

  /** A new CA named {@code commonName}, valid from {@code notBefore} to {@code notAfter}. */
  public static DevelopmentTlsPki create(String commonName, Instant notBefore, Instant notAfter) {
    SecureRandom random = new SecureRandom();
    KeyPair keys = generateKeyPair(random);
    X500Name name = name(commonName);
    Credential ca =
        sign(
            random,
            name,
            keys.getPrivate(),
            name,
            keys,
            notBefore,
            notAfter,
            new BasicConstraints(0),
            KeyUsage.keyCertSign | KeyUsage.cRLSign,
            null,
            null);
    return new DevelopmentTlsPki(random, ca);
  }

  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /** A server certificate: DNS names, localhost, 127.0.0.1 and ::1 as subject alternative names. */
  public Credential issueServer(Server server, Instant notBefore, Instant notAfter) {
    List<GeneralName> names = new ArrayList<>();
    server.dnsNames().forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    return issue(
        server.name(),
        notBefore,
        notAfter,
        KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(names.toArray(GeneralName[]::new)));
  }

  /**
   * A client certificate whose subject common name is {@code clientName}: the broker client (its
   * bearer token's owner) it may act as.
   */
  public Credential issueClient(String clientName, Instant notBefore, Instant notAfter) {
    checkName(clientName);
    return issue(clientName, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth, null);
  }

  /**
   * Writes the PKI's usual layout under {@code dir}: {@code ca.crt}; {@code server/<name>.crt} and
   * {@code .key} per server; {@code client/<name>.crt} and {@code .key} per client. Every file mode
   * 0600 (keys are secrets; certificates alongside them stay as private), the CA's key nowhere.
   */
  public void writeLayout(
      Path dir, List<Server> servers, List<String> clients, Instant notBefore, Instant notAfter) {
    try {
      Files.createDirectories(dir.resolve("server"));
      Files.createDirectories(dir.resolve("client"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    writeCertificate(dir.resolve("ca.crt"), ca.certificate());
    for (Server s : servers) {
      write(dir.resolve("server"), s.name(), issueServer(s, notBefore, notAfter));
    }
    for (String c : clients) {
      write(dir.resolve("client"), c, issueClient(c, notBefore, notAfter));
    }
  }

  /**
   * Writes {@code <name>.crt} (the certificate) and {@code <name>.key} (PKCS#8) into {@code dir}.
   */
  public static void write(Path dir, String name, Credential credential) {
    checkName(name);
    writeCertificate(dir.resolve(name + ".crt"), credential.certificate());
    writePrivateKey(dir.resolve(name + ".key"), credential.privateKey());
  }

  /** One certificate as PEM, mode 0600. */
  public static void writeCertificate(Path file, X509Certificate certificate) {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
      w.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writePrivately(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** A private key as PKCS#8 PEM, mode 0600. */
  public static void writePrivateKey(Path file, PrivateKey key) {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
      w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writePrivately(file, pem.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private Credential issue(
      String commonName,
      Instant notBefore,
      Instant notAfter,
      KeyPurposeId purpose,
      GeneralNames subjectAltNames) {
    X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    return sign(
        random,
        issuer,
        ca.privateKey(),
        name(commonName),
        generateKeyPair(random),
        notBefore,
        notAfter,
        null,
        KeyUsage.digitalSignature,
        purpose,
        subjectAltNames);
  }

  private static Credential sign(
      SecureRandom random,
      X500Name issuer,
      PrivateKey issuerKey,
      X500Name subject,
      KeyPair keys,
      Instant notBefore,
      Instant notAfter,
      BasicConstraints basicConstraints,
      int keyUsage,
      KeyPurposeId purpose,
      GeneralNames subjectAltNames) {
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("notAfter must be after notBefore");
    }
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(63, random).add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keys.getPublic());
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      b.addExtension(
          Extension.basicConstraints,
          true,
          basicConstraints == null ? new BasicConstraints(false) : basicConstraints);
      if (purpose != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
      if (subjectAltNames != null) {
        b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
      }
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
      return new Credential(cert, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a development TLS certificate", e);
    }
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "IFPP development")
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a P-256 key pair", e);
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException(
          "a name of letters, digits, '.', '_' and '-' (at most 64): " + name);
    }
  }

  /** Through a 0600 temporary file and a rename: never readable by others, never half written. */
  private static void writePrivately(Path file, byte[] content) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp =
          Files.createTempFile(
              dir,
              ".pki-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // nothing left to protect: the temporary file was 0600
        }
      }
    }
  }
}
