package org.ifpp.keymaker.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import org.ifpp.crypto.tls.PemTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The Key Maker's broker client trusts the configured CA only. */
class BrokerClientTlsTest {

  private static final Instant FROM = Instant.now().minus(Duration.ofHours(1));
  private static final Instant TO = Instant.now().plus(Duration.ofDays(1));

  @TempDir Path dir;
  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void brokerOfTheConfiguredCa_isServed() throws Exception {
    DevelopmentTlsPki pki = DevelopmentTlsPki.create("ca", FROM, TO);
    BrokerClient client = client(serve(pki), pki);
    assertThat(client.results(null, 10).results()).isEmpty();
  }

  @Test
  void brokerOfAnotherCa_isRefused() throws Exception {
    DevelopmentTlsPki other = DevelopmentTlsPki.create("another ca", FROM, TO);
    DevelopmentTlsPki trusted = DevelopmentTlsPki.create("ca", FROM, TO);
    BrokerClient client = client(serve(other), trusted);
    assertThatThrownBy(() -> client.results(null, 10)).isInstanceOf(SSLHandshakeException.class);
    BrokerClient.UploadResult upload =
        client.upload(new BrokerClient.UploadBatch("b", "f", null, "", java.util.List.of()), "key");
    assertThat(upload.outcome()).isEqualTo(BrokerClient.UploadOutcome.RETRY);
    assertThat(upload.body()).isEqualTo("SSLHandshakeException");
  }

  private BrokerClient client(String url, DevelopmentTlsPki trusted) {
    Path ca = dir.resolve("ca-" + System.nanoTime() + ".crt");
    DevelopmentTlsPki.writeCertificate(ca, trusted.caCertificate());
    BrokerProperties properties =
        new BrokerProperties(
            url, "token", "f", 10, Duration.ofSeconds(1), Duration.ofSeconds(5), null, 1);
    return new BrokerClient(
        properties, JsonMapper.builder().build(), PemTls.clientContext(ca, null, null));
  }

  private String serve(DevelopmentTlsPki pki) throws Exception {
    DevelopmentTlsPki.Credential credential =
        pki.issueServer(DevelopmentTlsPki.DEFAULT_SERVERS.get(1), FROM, TO);
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
        "/api/v1/results",
        exchange -> {
          byte[] body =
              "{\"results\":[],\"nextCursor\":null,\"hasMore\":false}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return "https://localhost:" + server.getAddress().getPort();
  }
}
