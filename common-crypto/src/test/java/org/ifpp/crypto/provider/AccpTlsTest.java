package org.ifpp.crypto.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AccpSupport#preferForTls()}: ACCP becomes the first provider once, and JSSE then runs a
 * mutually authenticated TLS connection on it (the broker's and the line driver's JVMs).
 */
class AccpTlsTest {

  private Provider[] before;

  @BeforeEach
  void remember() {
    assumeThat(AccpSupport.provider()).isPresent();
    before = Security.getProviders();
  }

  @AfterEach
  void restore() {
    if (before != null && Arrays.stream(before).noneMatch(p -> p.getName().equals(accp()))) {
      Security.removeProvider(accp()); // the other tests of this JVM keep the JDK's order
    }
  }

  @Test
  void preferForTls_putsAccpFirstOnce() throws Exception {
    assertThat(AccpSupport.preferForTls()).isTrue();
    assertThat(AccpSupport.preferForTls()).isTrue();

    Provider[] now = Security.getProviders();
    assertThat(now[0].getName()).isEqualTo(accp());
    assertThat(Arrays.stream(now).filter(p -> p.getName().equals(accp()))).hasSize(1);
    assertThat(Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName()).isEqualTo(accp());
  }

  @Test
  void mutualTls_runsOnAccp() throws Exception {
    AccpSupport.preferForTls();
    Instant now = Instant.now();
    Instant until = now.plus(1, ChronoUnit.DAYS);
    DevelopmentTlsPki pki = DevelopmentTlsPki.create("test CA", now.minusSeconds(60), until);
    var server =
        pki.issueServer(
            new DevelopmentTlsPki.Server("server", List.of()), now.minusSeconds(60), until);
    var client = pki.issueClient("line-1", now.minusSeconds(60), until);
    SSLContext serverTls = context(pki, server);
    SSLContext clientTls = context(pki, client);

    byte[] payload = new byte[64 * 1024];
    new Random(7).nextBytes(payload);
    try (SSLServerSocket listener =
        (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0)) {
      listener.setNeedClientAuth(true);
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                  byte[] in = new byte[payload.length];
                  new DataInputStream(s.getInputStream()).readFully(in);
                  s.getOutputStream().write(in);
                  s.getOutputStream().flush();
                  return s.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket s =
          (SSLSocket)
              clientTls.getSocketFactory().createSocket("localhost", listener.getLocalPort())) {
        OutputStream out = s.getOutputStream();
        out.write(payload);
        out.flush();
        byte[] echoed = new byte[payload.length];
        InputStream in = s.getInputStream();
        new DataInputStream(in).readFully(echoed);
        assertThat(echoed).isEqualTo(payload);
        assertThat(s.getSession().getCipherSuite()).contains("GCM");
      }
      assertThat(served.get(30, TimeUnit.SECONDS)).contains("line-1");
    }
  }

  private static SSLContext context(DevelopmentTlsPki pki, DevelopmentTlsPki.Credential own)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test".toCharArray();
    keys.setKeyEntry(
        "own",
        own.privateKey(),
        password,
        new Certificate[] {own.certificate(), pki.caCertificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, password);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.caCertificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return tls;
  }

  private static String accp() {
    return AccpSupport.provider().orElseThrow().getName();
  }
}
