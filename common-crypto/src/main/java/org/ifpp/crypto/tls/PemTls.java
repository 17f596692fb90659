package org.ifpp.crypto.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A TLS client's {@link SSLContext} from PEM files: the CA certificates it trusts (and nothing
 * else: not the JDK's default trust store) and, for mutual TLS, its own certificate and private
 * key. The JDK checks each server's certificate chain, validity dates and host name (the callers'
 * HTTP clients keep endpoint identification on).
 */
public final class PemTls {

  private static final char[] IN_MEMORY = new char[0];

  private PemTls() {}

  /**
   * @param trustedCertificates PEM file of the CA certificate(s) to trust
   * @param certificate PEM certificate (chain) of this client, or null for no client certificate
   * @param privateKey PEM private key (PKCS#8 or SEC1) of {@code certificate}, or null
   * @throws IllegalArgumentException when a file is missing or unreadable, with its path
   */
  public static SSLContext clientContext(
      Path trustedCertificates, Path certificate, Path privateKey) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certificates(trustedCertificates)) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("no certificate in " + trustedCertificates);
      }
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (certificate != null) {
        Certificate[] chain = certificates(certificate).toArray(Certificate[]::new);
        checkValidity(certificate, chain);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", privateKey(privateKey), IN_MEMORY, chain);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, IN_MEMORY);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** An expired or not yet valid client certificate: a clear error now, not a TLS alert later. */
  private static void checkValidity(Path file, Certificate[] chain) {
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate c)) {
      throw new IllegalArgumentException("no certificate in " + file);
    }
    try {
      c.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new IllegalArgumentException(
          "the client certificate " + file + " expired on " + c.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      throw new IllegalArgumentException(
          "the client certificate "
              + file
              + " is not valid before "
              + c.getNotBefore().toInstant());
    }
  }

  private static Collection<? extends Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    if (file == null) {
      throw new IllegalArgumentException("a client certificate needs its private key");
    }
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(r)) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      throw new IllegalArgumentException("no unencrypted private key in " + file);
    }
  }
}
