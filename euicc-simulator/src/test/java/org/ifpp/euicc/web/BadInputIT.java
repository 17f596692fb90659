package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ifpp.testsupport.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad input the simulator refuses before any chip is touched, always as problem+json with a code:
 * numbers that are not integers, over-limit bodies, undecodable parameters, and what Tomcat refuses
 * itself (issue 13.4 and 13.5). Also: Prometheus is exposed, as docs/api.md says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class BadInputIT {

  static final Path STATE = HttpSupport.tempStateDir();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("ifpp.euicc.state-dir", STATE::toString);
  }

  @Value("${local.server.port}")
  int port;

  private static void assertProblem(HttpSupport.Response r, int status, String code) {
    assertThat(r.status()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo(code);
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .doesNotContain("Exception", "java.", "int");
  }

  @Test
  void aFractionalCount_isRefused_notTruncated() {
    HttpSupport http = new HttpSupport(port);
    assertProblem(http.postJson("/api/v1/chips", "{\"count\":1.5}"), 400, "malformed-json");
    assertProblem(
        http.postJson("/api/v1/chips", "{\"count\":1,\"oneTimeKeys\":2.5}"), 400, "malformed-json");
  }

  @Test
  void undecodableOrWrongParameters_are400() {
    HttpSupport http = new HttpSupport(port);
    assertProblem(http.get("/api/v1/chips?offset=%00"), 400, "invalid-parameter");
    assertProblem(http.get("/api/v1/chips?limit=many"), 400, "invalid-parameter");
    assertProblem(http.get("/api/v1/chips?limit=0"), 400, "invalid-page");
  }

  @Test
  void overLimitBody_is413BeforeItIsRead() throws IOException {
    String raw =
        RawHttp.exchange(
            port,
            "POST /api/v1/chips HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + (70L * 1024 * 1024)
                + "\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 413");
    assertThat(raw).contains("application/problem+json", "\"code\":\"body-too-large\"");
  }

  @Test
  void tomcatLevelRefusals_areProblemJson() throws IOException {
    for (String request :
        List.of(
            "GET /api/v1/chips/8904%2F1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /api/v1/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET /api/v1/chips HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + "x".repeat(10 * 1024)
                + "\r\n\r\n")) {
      String raw = RawHttp.exchange(port, request);
      assertThat(raw).matches("(?s)HTTP/1.1 4(00|31).*");
      assertThat(raw)
          .contains("application/problem+json", "\"code\":")
          .doesNotContain("<html", "Tomcat");
    }
  }

  @Test
  void prometheus_isExposed() {
    HttpSupport.Response r = new HttpSupport(port).get("/actuator/prometheus");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("jvm_");
  }
}
