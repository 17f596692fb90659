package org.ifpp.keymaker.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ifpp.keymaker.testing.Api;
import org.ifpp.keymaker.testing.OperatorSteps;
import org.ifpp.keymaker.testing.TestChips;
import org.ifpp.keymaker.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Production orders through the API, with a real SoftHSM token and a real PostgreSQL: bulk binding
 * under an order, progress and the device list per order, and every refusal of an order's rules.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails the test, not the build
class OrderFlowIT {

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    TestEnvironment.register(registry);
  }

  @Value("${local.server.port}")
  int port;

  static final Map<Integer, TestChips.Chip> CHIPS = new HashMap<>();
  static boolean imported;
  Api api;

  @BeforeEach
  void importProfilesAndChips() {
    api = Api.operator(port);
    if (imported) {
      return;
    }
    OperatorSteps.importProfiles(api, "ord", 8_100_000L, 8);
    for (int serial = 1; serial <= 6; serial++) {
      CHIPS.put(serial, TestChips.chip(900 + serial, 3));
    }
    OperatorSteps.importChips(api, List.copyOf(CHIPS.values()));
    imported = true;
  }

  static String eid(int serial) {
    return CHIPS.get(serial).eid().value();
  }

  @Test
  void orderListingItsEids_isBoundInBulk_andFollowedDeviceByDevice() {
    Api.Response created =
        api.postJson(
            "/api/v1/orders",
            Map.of("pool", "ord", "factory", "factory-1", "eids", List.of(eid(1), eid(2))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("state").asText()).isEqualTo("CREATED");
    String order = created.json().get("orderId").asText();

    Api.Response bind = api.postJson("/api/v1/bindings", Map.of("orderId", order));
    assertThat(bind.status()).as(bind.body()).isEqualTo(202);
    assertThat(bind.json().get("total").asInt()).isEqualTo(2);
    JsonNode progress =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> api.get("/api/v1/orders/" + order).json(),
                p -> p.get("devices").get("BOUND").asLong() == 2);
    assertThat(progress.get("state").asText()).isEqualTo("IN_PRODUCTION");
    assertThat(progress.get("devices").get("NOT_BOUND").asLong()).isZero();
    assertThat(progress.get("admitted").asInt()).isEqualTo(2);

    JsonNode devices = api.get("/api/v1/orders/" + order + "/devices").json();
    assertThat(devices).hasSize(2);
    for (JsonNode d : devices) {
      assertThat(d.get("iccid").asText()).startsWith("894944");
      assertThat(d.get("transactionId").asText()).hasSize(32);
      assertThat(d.get("state").asText()).isEqualTo("BOUND");
    }

    // A device is bound under its order once; a chip the order does not list is refused.
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", order, "eids", List.of(eid(1)))),
        409,
        "device-already-in-order");
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", order, "eids", List.of(eid(3)))),
        422,
        "eid-not-in-order");
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", order)), 409, "device-already-in-order");
  }

  @Test
  void orderForANumberOfDevices_admitsChipsUpToItsCount() {
    Api.Response created =
        api.postJson(
            "/api/v1/orders", Map.of("pool", "ord", "factory", "factory-1", "deviceCount", 2));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String order = created.json().get("orderId").asText();
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", order)), 400, "invalid-binding-request");
    assertThat(
            api.postJson("/api/v1/bindings", Map.of("orderId", order, "eids", List.of(eid(4))))
                .status())
        .isEqualTo(202);
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", order, "eids", List.of(eid(5), eid(6)))),
        409,
        "order-full");
    assertCode(
        api.postJson(
            "/api/v1/bindings", Map.of("orderId", order, "pool", "other", "eids", List.of(eid(5)))),
        400,
        "invalid-binding-request");
    JsonNode progress = api.get("/api/v1/orders/" + order).json();
    assertThat(progress.get("deviceCount").asInt()).isEqualTo(2);
    assertThat(progress.get("admitted").asInt()).isEqualTo(1);
  }

  @Test
  void badOrders_areRefusedWithTheirCodes() {
    assertCode(
        api.postJson(
            "/api/v1/orders", Map.of("pool", "ord", "factory", "elsewhere", "deviceCount", 1)),
        422,
        "unknown-factory");
    assertCode(
        api.postJson(
            "/api/v1/orders",
            Map.of(
                "pool", "ord", "factory", "factory-1", "deviceCount", 1, "eids", List.of(eid(1)))),
        400,
        "invalid-order");
    assertCode(
        api.postJson(
            "/api/v1/orders",
            Map.of("pool", "ord", "factory", "factory-1", "eids", List.of(eid(1), eid(1)))),
        400,
        "duplicate-in-batch");
    assertCode(
        api.postJson(
            "/api/v1/orders", Map.of("pool", "ord", "factory", "factory-1", "deviceCount", 0)),
        400,
        "invalid-order");
    assertCode(api.get("/api/v1/orders/not-a-uuid"), 400, "invalid-order-id");
    assertCode(api.get("/api/v1/orders/" + OrderId.random()), 404, "unknown-order");
    assertCode(
        api.postJson("/api/v1/bindings", Map.of("orderId", OrderId.random().toString())),
        404,
        "unknown-order");
  }

  static void assertCode(Api.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("code").asText()).isEqualTo(code);
  }
}
