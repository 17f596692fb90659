package org.ifpp.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.ifpp.broker.support.BrokerClient;
import org.ifpp.broker.support.BrokerItSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class FactoryBrokerApplicationHealthIT extends BrokerItSupport {

  @Test
  void health_isUp() {
    BrokerClient.Response r = api.get("/actuator/health", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"UP\"");
  }

  @Test
  void readiness_includesTheDatabase() {
    BrokerClient.Response r = api.get("/actuator/health/readiness", ADMIN_TOKEN);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"db\"");
    // The components are shown to an authenticated operator only (issue 13.5); the probe's
    // status stays open.
    BrokerClient.Response anonymous = api.get("/actuator/health/readiness", null);
    assertThat(anonymous.status()).isEqualTo(200);
    assertThat(anonymous.text()).contains("UP").doesNotContain("\"db\"");
  }

  @Test
  void openApi_isPublished() {
    BrokerClient.Response r = api.get("/v3/api-docs", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("/api/v1/claims", "/api/v1/batches", "/api/v1/results");
  }
}
