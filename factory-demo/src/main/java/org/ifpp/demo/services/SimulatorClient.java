package org.ifpp.demo.services;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ifpp.line.http.Http;
import org.ifpp.line.http.Json;

/**
 * The eUICC simulator's non-line side: manufacturing as the EUM, the eUICC-data export, chip
 * status. (Loading and the signed end of production are {@link org.ifpp.line.chip.ChipClient}.) All
 * paths of that contract are here.
 */
public final class SimulatorClient {

  private final RestClient rest;

  public SimulatorClient(Http http, URI base) {
    this.rest = new RestClient(http, base, null);
  }

  /**
   * Manufactures {@code count} chips with {@code keys} one-time keys each, trusting the device
   * maker's certificate {@code deviceMakerCertificate} (base64 DER) for their finalisation; returns
   * their EIDs.
   */
  public List<String> manufacture(int count, int keys, String deviceMakerCertificate) {
    JsonNode n =
        rest.post(
            "/api/v1/chips",
            Json.object()
                .put("count", count)
                .put("oneTimeKeys", keys)
                .put("deviceMakerCertificate", deviceMakerCertificate));
    List<String> eids = new ArrayList<>();
    n.path("eids").forEach(e -> eids.add(e.asText()));
    return eids;
  }

  /**
   * The eUICC data of {@code eids} as the EUM exports it for the Key Maker, already in the Key
   * Maker's JSON import form ({@code {"format":"ifpp-euicc-data/1","euiccs":[{eid,data}]}},
   * docs/euicc-data-format.md section 4): DER records, base64, public material only.
   */
  public JsonNode exportEuiccData(List<String> eids) {
    var body = Json.object();
    var list = body.putArray("eids");
    eids.forEach(list::add);
    return rest.post("/api/v1/euicc-data/export", body);
  }

  /** The chips' eUICC data records (DER), by EID in the order asked. */
  public Map<String, byte[]> euiccDataByEid(List<String> eids) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    exportEuiccData(eids)
        .path("euiccs")
        .forEach(
            c ->
                data.put(
                    c.get("eid").asText(), Base64.getDecoder().decode(c.get("data").asText())));
    return data;
  }

  /** A chip's status (mode, keys left, installed profiles: never content). */
  public JsonNode status(String eid) {
    return rest.get("/api/v1/chips/" + eid);
  }
}
