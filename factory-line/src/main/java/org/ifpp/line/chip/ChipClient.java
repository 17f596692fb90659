package org.ifpp.line.chip;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;

/**
 * The line's programming station: pushes a bound package into the chip with the given EID (the
 * eUICC simulator's load endpoint stands in for the ES10 channel to a real chip) and returns the
 * chip's signed result.
 *
 * <p>A load is not retried by the station when its outcome is unknown: the chip may already have
 * consumed its one-time key (IFPP.md section 6, step 6), so a blind re-push could only fail. The
 * line releases the claim instead and the Key Maker's reconciliation sees the binding unreported.
 *
 * <p>All paths and field names of the simulator's contract are in this class and nowhere else.
 */
public final class ChipClient {

  private final Http http;
  private final URI base;

  public ChipClient(Http http, URI base) {
    this.http = http;
    this.base = base;
  }

  /**
   * Loads {@code boundPackage} into chip {@code eid}; the Key Maker's binding certificate goes with
   * it (the chip checks its chain, IFPP.md section 6 step 2).
   */
  public LoadOutcome load(String eid, byte[] boundPackage, byte[] bindingCertificate) {
    var body = Json.object().put("package", Base64.getEncoder().encodeToString(boundPackage));
    if (bindingCertificate != null) {
      body.put("certificate", Base64.getEncoder().encodeToString(bindingCertificate));
    }
    HttpResponse<byte[]> response =
        http.send(
            () ->
                http.request(base.resolve("/api/v1/chips/" + eid + "/load"))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(Json.body(body))
                    .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    int status = response.statusCode();
    JsonNode node = status / 100 == 2 || status == 422 ? Json.parse(response.body()) : null;
    if (node == null) {
      throw Json.failure("load into " + eid, response);
    }
    String result = node.path("result").asText("");
    boolean installed =
        "ok".equalsIgnoreCase(result)
            || "installed".equalsIgnoreCase(result)
            || "success".equalsIgnoreCase(result);
    byte[] pir =
        node.hasNonNull("pir") ? Base64.getDecoder().decode(node.get("pir").asText()) : new byte[0];
    return new LoadOutcome(
        installed,
        node.hasNonNull("reason") ? node.get("reason").asText() : null,
        node.hasNonNull("iccid") ? node.get("iccid").asText() : null,
        pir);
  }
}
