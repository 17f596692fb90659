package org.ifpp.keymaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class KeyMakerApplicationHealthIT {

  @DynamicPropertySource
  static void hsm(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  @Test
  void health_isUp() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"UP\"");
    HttpResponse<String> readiness =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(readiness.statusCode()).isEqualTo(200);
    HttpResponse<String> openApi =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(openApi.statusCode()).isEqualTo(200);
    assertThat(openApi.body())
        .contains("/api/v1/profiles")
        .contains("/api/v1/euicc-data")
        .contains("/api/v1/bindings")
        .contains("/api/v1/results");
  }
}
