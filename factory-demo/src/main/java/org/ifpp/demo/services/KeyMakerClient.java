package org.ifpp.demo.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;

/**
 * The operator's client of the Key Maker (keymaker-service, docs/keymaker-design.md): import
 * profiles and eUICC data, plan a binding batch, follow it. All paths of that contract are here.
 */
public final class KeyMakerClient {

  private final RestClient rest;

  public KeyMakerClient(Http http, URI base, String operatorToken) {
    this.rest = new RestClient(http, base, operatorToken);
  }

  /** Imports plain profiles (DER) into {@code pool}, all or nothing. */
  public void importProfiles(String pool, List<byte[]> profiles) {
    var body = Json.object().put("pool", pool);
    var list = body.putArray("profiles");
    profiles.forEach(p -> list.add(Base64.getEncoder().encodeToString(p)));
    rest.post("/api/v1/profiles", body);
  }

  /**
   * Imports eUICC data in its JSON form (as the EUM exported it); each chip is accepted or rejected
   * on its own (DPFF10).
   *
   * @return the number of chips accepted
   * @throws IllegalStateException when a chip was rejected (with the first rejection's code)
   */
  public int importEuiccData(JsonNode exported) {
    JsonNode r = rest.post("/api/v1/euicc-data", exported);
    if (r.path("rejected").asInt() != 0) {
      JsonNode first = null;
      for (JsonNode item : r.path("results")) {
        if (!"ACCEPTED".equals(item.path("status").asText())) {
          first = item;
          break;
        }
      }
      throw new IllegalStateException(
          r.path("rejected").asInt() + " chip(s) rejected by the Key Maker, e.g. " + first);
    }
    return r.path("accepted").asInt();
  }

  /** Plans a batch: the next profiles of {@code pool}, one per EID. Returns the batch id. */
  public String bind(String pool, List<String> eids) {
    var body = Json.object().put("pool", pool);
    var list = body.putArray("eids");
    eids.forEach(list::add);
    return rest.post("/api/v1/bindings", body).get("batchId").asText();
  }

  /** A batch's progress. */
  public record Progress(int total, Map<String, Long> states, long delivered) {
    public long state(String name) {
      return states.getOrDefault(name, 0L);
    }
  }

  public Progress progress(String batchId) {
    JsonNode n = rest.get("/api/v1/bindings/batches/" + batchId);
    Map<String, Long> states = new TreeMap<>();
    n.path("states").fields().forEachRemaining(e -> states.put(e.getKey(), e.getValue().asLong()));
    return new Progress(n.path("total").asInt(), states, n.path("delivered").asLong());
  }

  /** Which chips of a batch proved their finalisation (finalised, notFinalised, details). */
  public JsonNode batchFinalisation(String batchId) {
    return rest.get("/api/v1/bindings/batches/" + batchId + "/finalisation");
  }

  /**
   * Creates a production order for {@code factory} listing its devices ({@code POST
   * /api/v1/orders}). Returns the order id.
   */
  public String createOrder(String pool, String factory, List<String> eids) {
    var body = Json.object().put("pool", pool).put("factory", factory);
    var list = body.putArray("eids");
    eids.forEach(list::add);
    return rest.post("/api/v1/orders", body).get("orderId").asText();
  }

  /** Binds every device of an order not bound yet, in one batch. Returns the batch id. */
  public String bindOrder(String orderId) {
    return rest.post("/api/v1/bindings", Json.object().put("orderId", orderId))
        .get("batchId")
        .asText();
  }

  /** An order and its progress (state, devices by state). */
  public JsonNode order(String orderId) {
    return rest.get("/api/v1/orders/" + orderId);
  }

  /** The order's operator's report, signed ({@code ifpp-signed-operator-report/1}), as sent. */
  public byte[] signedOperatorReport(String orderId) {
    return rest.getBytes("/api/v1/orders/" + orderId + "/operator-report");
  }

  /** Per order: chips finalised (verified receipt), refused, not finalised, and which. */
  public JsonNode orderFinalisation(String orderId) {
    return rest.get("/api/v1/orders/" + orderId + "/finalisation");
  }

  /** The audit chain's verification, as the Key Maker reports it. */
  public JsonNode verifyAudit() {
    return rest.get("/api/v1/audit/verify");
  }
}
