package org.ifpp.line.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import org.ifpp.line.LineTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line's client over HTTPS: it trusts the configured CA only, and only valid certificates. */
class ApacheHttpTransportTlsTest {

  private static final Instant FROM = Instant.now().minus(Duration.ofHours(1));
  private static final Instant TO = Instant.now().plus(Duration.ofDays(1));
  private static final DevelopmentTlsPki.Server BROKER = DevelopmentTlsPki.DEFAULT_SERVERS.get(1);

  @TempDir Path dir;
  private HttpsServer server;
  private ApacheHttpTransport client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void serverOfTheConfiguredCa_isServed() throws Exception {
    DevelopmentTlsPki pki = DevelopmentTlsPki.create("ca", FROM, TO);
    URI url = serve(pki.issueServer(BROKER, FROM, TO));
    assertThat(get(pki, url).statusCode()).isEqualTo(200);
  }

  @Test
  void serverOfAnotherCa_isRefused() throws Exception {
    DevelopmentTlsPki trusted = DevelopmentTlsPki.create("ca", FROM, TO);
    DevelopmentTlsPki other = DevelopmentTlsPki.create("another ca", FROM, TO);
    URI url = serve(other.issueServer(BROKER, FROM, TO));
    assertThatThrownBy(() -> get(trusted, url)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void expiredServerCertificate_isRefused_sayingSo() throws Exception {
    DevelopmentTlsPki pki = DevelopmentTlsPki.create("ca", FROM.minus(Duration.ofDays(30)), TO);
    Instant past = Instant.now().minus(Duration.ofDays(10));
    URI url = serve(pki.issueServer(BROKER, past, past.plus(Duration.ofDays(1))));
    assertThatThrownBy(() -> get(pki, url))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("validity check failed");
  }

  private Response get(DevelopmentTlsPki pki, URI url) throws Exception {
    Path ca = dir.resolve("ca-" + System.nanoTime() + ".crt");
    DevelopmentTlsPki.writeCertificate(ca, pki.caCertificate());
    client =
        new ApacheHttpTransport(
            Duration.ofSeconds(5), 2, Duration.ofSeconds(20), new LineTls(ca, null).serverOnly());
    return client.exchange(
        Request.newBuilder(url.resolve("/ping")).timeout(Duration.ofSeconds(5)).build());
  }

  private URI serve(DevelopmentTlsPki.Credential credential) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server",
        credential.privateKey(),
        new char[0],
        new Certificate[] {credential.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/ping",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    return URI.create("https://localhost:" + server.getAddress().getPort());
  }
}
