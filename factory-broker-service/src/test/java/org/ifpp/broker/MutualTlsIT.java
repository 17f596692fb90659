package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.ifpp.crypto.tls.DevelopmentTlsPki;
import org.ifpp.crypto.tls.PemTls;
import org.ifpp.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker over HTTPS with client certificates required (as the demo and the end-to-end tests run
 * it): a line's token only with that line's certificate; certificates from another CA or expired
 * ones refused by the TLS layer; plain HTTP refused.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "ifpp.web.plain-http=false",
      "ifpp.broker.client-certificates=required",
      "server.ssl.bundle=server",
      "server.ssl.client-auth=want",
      "ifpp.broker.bootstrap-clients[0].name=line-a",
      "ifpp.broker.bootstrap-clients[0].token=" + MutualTlsIT.LINE_A_TOKEN,
      "ifpp.broker.bootstrap-clients[0].scopes=claim,download,report,release",
      "ifpp.broker.bootstrap-clients[0].factory=f",
      "ifpp.broker.bootstrap-clients[0].line=line-a",
      "ifpp.broker.bootstrap-clients[1].name=line-b",
      "ifpp.broker.bootstrap-clients[1].token=line-b-token-0123456789",
      "ifpp.broker.bootstrap-clients[1].scopes=claim,download,report,release",
      "ifpp.broker.bootstrap-clients[1].factory=f",
      "ifpp.broker.bootstrap-clients[1].line=line-b",
      "logging.structured.format.console=",
    })
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class MutualTlsIT {

  static final String LINE_A_TOKEN = "line-a-token-0123456789";
  static final String EID = "89049032123451234512345678901235";

  private static final TestPostgres.Database DB = TestPostgres.newDatabase("broker_tls");
  private static final Path DIR;
  private static final DevelopmentTlsPki PKI;
  private static final DevelopmentTlsPki OTHER_CA;
  private static final Instant FROM = Instant.now().minus(Duration.ofHours(1));
  private static final Instant TO = Instant.now().plus(Duration.ofDays(1));

  static {
    try {
      DIR = Files.createTempDirectory("broker-tls-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    PKI = DevelopmentTlsPki.create("test CA", FROM, TO);
    PKI.writeLayout(
        DIR, DevelopmentTlsPki.DEFAULT_SERVERS, java.util.List.of("line-a", "line-b"), FROM, TO);
    Instant past = Instant.now().minus(Duration.ofDays(10));
    DevelopmentTlsPki.write(
        DIR.resolve("client"),
        "line-a-expired",
        PKI.issueClient("line-a", past, past.plus(Duration.ofDays(1))));
    OTHER_CA = DevelopmentTlsPki.create("another CA", FROM, TO);
    Path other = DIR.resolve("other");
    OTHER_CA.writeLayout(other, java.util.List.of(), java.util.List.of("line-a"), FROM, TO);
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", DB::jdbcUrl);
    registry.add("spring.datasource.username", DB::username);
    registry.add("spring.datasource.password", DB::password);
    registry.add(
        "spring.ssl.bundle.pem.server.keystore.certificate",
        () -> "file:" + DIR.resolve("server/broker.crt"));
    registry.add(
        "spring.ssl.bundle.pem.server.keystore.private-key",
        () -> "file:" + DIR.resolve("server/broker.key"));
    registry.add(
        "spring.ssl.bundle.pem.server.truststore.certificate",
        () -> "file:" + DIR.resolve("ca.crt"));
  }

  @Value("${local.server.port}")
  int port;

  @Test
  void lineToken_withItsOwnCertificate_isServed() throws Exception {
    HttpResponse<String> r = claim(client("line-a"), LINE_A_TOKEN, "https");
    // no package for this EID: the claim itself was authenticated and answered
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void lineToken_withAnotherLinesCertificate_isRefused() throws Exception {
    HttpResponse<String> r = claim(client("line-b"), LINE_A_TOKEN, "https");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(code(r)).isEqualTo("client-certificate-mismatch");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void lineToken_withoutCertificate_isRefused() throws Exception {
    SSLContext noCertificate = PemTls.clientContext(DIR.resolve("ca.crt"), null, null);
    HttpResponse<String> r = claim(noCertificate, LINE_A_TOKEN, "https");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("client-certificate-required");
  }

  @Test
  void certificateFromAnotherCa_isRefused() throws Exception {
    SSLContext other =
        PemTls.clientContext(
            DIR.resolve("ca.crt"),
            DIR.resolve("other/client/line-a.crt"),
            DIR.resolve("other/client/line-a.key"));
    // The server asks for a certificate of its own CA: the client has none to present, and the
    // call is refused as one without a certificate (were it sent, the handshake would fail).
    HttpResponse<String> r = claim(other, LINE_A_TOKEN, "https");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("client-certificate-required");
  }

  @Test
  void expiredCertificate_isRefusedWithAClearError() {
    assertThatThrownBy(
            () ->
                PemTls.clientContext(
                    DIR.resolve("ca.crt"),
                    DIR.resolve("client/line-a-expired.crt"),
                    DIR.resolve("client/line-a-expired.key")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line-a-expired.crt expired on");
  }

  @Test
  void serverFromTheClientsPointOfView_otherCa_isRefused() {
    SSLContext trustsOther = PemTls.clientContext(DIR.resolve("other/ca.crt"), null, null);
    assertThatThrownBy(() -> claim(trustsOther, LINE_A_TOKEN, "https"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttp_isRefused() {
    try {
      HttpResponse<String> r = claim(null, LINE_A_TOKEN, "http");
      // Tomcat answers a plain request on its TLS port with a bare 400, never the API
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).doesNotContain("package-not-found");
    } catch (IOException e) {
      // or drops the connection: refused either way
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private SSLContext client(String name) {
    return PemTls.clientContext(
        DIR.resolve("ca.crt"),
        DIR.resolve("client/" + name + ".crt"),
        DIR.resolve("client/" + name + ".key"));
  }

  private HttpResponse<String> claim(SSLContext tls, String token, String scheme)
      throws IOException, InterruptedException {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10));
    if (tls != null) {
      b.sslContext(tls);
    }
    HttpClient http = b.build();
    return http.send(
        HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + "/api/v1/claims"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"eid\":\"" + EID + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> r) {
    return JsonMapper.builder().build().readTree(r.body()).get("code").asString();
  }
}
