package org.ifpp.euicc.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The readers API: chips into vpcd readers (a local socket stands in for vpcd) and refusals. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class ReaderApiIT {

  static final Path STATE = HttpSupport.tempStateDir();

  @DynamicPropertySource
  static void props(DynamicPropertyRegistry r) {
    r.add("ifpp.euicc.state-dir", STATE::toString);
  }

  @Value("${local.server.port}")
  int port;

  HttpSupport http() {
    return new HttpSupport(port);
  }

  HttpSupport.Response put(String path, String json) {
    return http()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  @Test
  void insertListRemove_andEachRefusalIsProblemJson() throws Exception {
    String eid =
        http().postJson("/api/v1/chips", Map.of("count", 1)).json().get("eids").get(0).asString();
    try (ServerSocket vpcd = new ServerSocket(0)) {
      int reader = vpcd.getLocalPort();
      HttpSupport.Response in = put("/api/v1/readers/" + reader, "{\"eid\":\"" + eid + "\"}");
      assertThat(in.status()).isEqualTo(200);
      assertThat(in.json().get("eid").asString()).isEqualTo(eid);
      try (Socket card = vpcd.accept()) {
        assertThat(http().get("/api/v1/readers").json().get("readers").get(0).get("port").asInt())
            .isEqualTo(reader);
        assertThat(http().delete("/api/v1/readers/" + reader).status()).isEqualTo(204);
        assertThat(card.getInputStream().read()).isEqualTo(-1); // taken out
      }
      assertThat(http().get("/api/v1/readers").json().get("readers").size()).isZero();
    }
    expect(http().delete("/api/v1/readers/35999"), 404, "reader-not-found");
    expect(put("/api/v1/readers/0", "{\"eid\":\"" + eid + "\"}"), 400, "invalid-reader");
    expect(put("/api/v1/readers/abc", "{\"eid\":\"" + eid + "\"}"), 400, "invalid-reader");
    expect(put("/api/v1/readers/35999", "{}"), 400, "missing-field");
    expect(
        put(
            "/api/v1/readers/35999",
            "{\"eid\":\""
                + org.ifpp.crypto.ids.Eid.withCheckDigits("890490329990000000000000000099").value()
                + "\"}"),
        404,
        "chip-not-found");
  }

  private static void expect(HttpSupport.Response r, int status, String code) {
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asString()).isEqualTo(code);
  }
}
