package org.ifpp.keymaker.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The operator's common steps through the Key Maker's API, each checked: import profiles and eUICC
 * data, create an order, bind it and wait until every device is bound.
 */
public final class OperatorSteps {

  private OperatorSteps() {}

  /** Imports {@code count} test profiles into {@code pool}, ICCIDs from {@code firstSerial}. */
  public static void importProfiles(Api api, String pool, long firstSerial, int count) {
    Api.Response r =
        api.postJson(
            "/api/v1/profiles",
            Map.of("pool", pool, "profiles", TestProfiles.encoded(firstSerial, count)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  /** Imports the chips' eUICC data (entries as {@link TestChips.Chip#filed()} makes them). */
  public static void importEuiccData(Api api, List<Map<String, String>> filed) {
    Api.Response r =
        api.postJson("/api/v1/euicc-data", Map.of("format", "ifpp-euicc-data/1", "euiccs", filed));
    assertThat(r.json().get("accepted").asInt()).as(r.body()).isEqualTo(filed.size());
  }

  /** Imports the chips' eUICC data, without capabilities. */
  public static void importChips(Api api, List<TestChips.Chip> chips) {
    importEuiccData(api, chips.stream().map(TestChips.Chip::filed).toList());
  }

  /** Creates an order of {@code factory-1} for these EIDs; returns its id. */
  public static String createOrder(Api api, String pool, List<String> eids) {
    Api.Response r =
        api.postJson("/api/v1/orders", Map.of("pool", pool, "factory", "factory-1", "eids", eids));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("orderId").asText();
  }

  /** Creates an order of {@code factory-1} for {@code devices} chips named later (on request). */
  public static String createOrder(Api api, String pool, int devices) {
    Api.Response r =
        api.postJson(
            "/api/v1/orders", Map.of("pool", pool, "factory", "factory-1", "deviceCount", devices));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().get("orderId").asText();
  }

  /** Binds the order in bulk and waits until {@code devices} of its devices are bound. */
  public static void bindAndAwait(Api api, String order, int devices) {
    Api.Response r = api.postJson("/api/v1/bindings", Map.of("orderId", order));
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> api.get("/api/v1/orders/" + order).json().get("devices").get("BOUND").asLong(),
            bound -> bound == devices);
  }

  /** The order's devices, by EID. */
  public static Map<String, JsonNode> devicesByEid(Api api, String order) {
    Map<String, JsonNode> devices = new LinkedHashMap<>();
    for (JsonNode d : api.get("/api/v1/orders/" + order + "/devices").json()) {
      devices.put(d.get("eid").asText(), d);
    }
    return devices;
  }
}
