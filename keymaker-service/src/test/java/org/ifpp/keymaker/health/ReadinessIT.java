package org.ifpp.keymaker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Readiness answers within about 2 s, and DOWN when the database stops answering (issue 13 item 3):
 * the Key Maker reaches its PostgreSQL through a proxy that the test freezes.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // the workers' own waits for a connection end sooner when the context closes
    properties = "spring.datasource.hikari.connection-timeout=3000")
@Timeout(120)
@DirtiesContext
class ReadinessIT {

  static FreezableProxy proxy;

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(
        registry,
        real -> {
          // jdbc:postgresql://host:port/db?params -> the same through the proxy
          URI u = URI.create(real.substring("jdbc:".length()));
          try {
            proxy = new FreezableProxy(u.getHost(), u.getPort());
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
          return real.replace(u.getHost() + ":" + u.getPort(), "localhost:" + proxy.port());
        });
  }

  @AfterAll
  static void closeProxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Value("${local.server.port}")
  int port;

  @Test
  void frozenDatabase_makesReadinessDown_inUnderThreeSeconds() throws Exception {
    assertThat(readiness().statusCode()).isEqualTo(200);

    proxy.freeze();
    try {
      frozenChecks();
    } finally {
      // Ends every call hung on the frozen database before the context closes.
      proxy.close();
    }
  }

  private void frozenChecks() throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> down = readiness();
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("DOWN");
    assertThat(millis).isLessThan(3_000);
    // Asked again while the first check still hangs: answered as fast, still DOWN.
    start = System.nanoTime();
    assertThat(readiness().statusCode()).isEqualTo(503);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
  }

  private HttpResponse<String> readiness() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
