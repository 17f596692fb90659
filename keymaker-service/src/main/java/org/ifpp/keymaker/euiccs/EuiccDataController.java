package org.ifpp.keymaker.euiccs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: import what an EUM exports for its chips (DPFF10), and see a chip's keys. */
@RestController
@RequestMapping(path = "/api/v1/euicc-data", produces = "application/json")
@Tag(name = "euicc data", description = "verified eUICCs and their one-time keys")
class EuiccDataController {

  private final EuiccDataService service;
  private final EuiccRegistry registry;

  EuiccDataController(EuiccDataService service, EuiccRegistry registry) {
    this.service = service;
    this.registry = registry;
  }

  /** eUICC data records, each base64 of the DER record of docs/euicc-data-format.md. */
  record ImportRequest(List<String> records) {}

  record EuiccStatus(String eid, String curve, long availableKeys, long spentKeys) {}

  @PostMapping(consumes = "application/json")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Import eUICC data (all or nothing)",
      description =
          "Rejections: 400 malformed / certificate-malformed / invalid-base64; 422"
              + " untrusted-chain, certificate-bad-signature, certificate-expired,"
              + " eid-mismatch, eid-outside-eum-range, one-time-key-bad-signature,"
              + " duplicate-one-time-key, duplicate-key-index...; 409 duplicate-eid")
  EuiccDataService.Imported importData(@RequestBody ImportRequest request) {
    if (request == null || request.records() == null) {
      throw ApiException.badRequest("empty-import", "records: at least one");
    }
    List<byte[]> ders = new ArrayList<>();
    for (int i = 0; i < request.records().size(); i++) {
      String s = request.records().get(i);
      try {
        ders.add(Base64.getDecoder().decode(s == null ? "" : s.strip()));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid-base64", "records[" + i + "] is not base64");
      }
    }
    return service.importAll("operator", ders);
  }

  @GetMapping("/{eid}")
  @Operation(summary = "A chip's one-time key counts")
  EuiccStatus get(@PathVariable String eid) {
    Eid id;
    try {
      id = Eid.of(eid);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid-eid", e.getMessage());
    }
    EuiccRegistry.Euicc e =
        registry
            .find(id)
            .orElseThrow(() -> ApiException.notFound("unknown-eid", "no eUICC " + eid));
    EuiccRegistry.KeyCounts c = registry.keyCounts(id);
    return new EuiccStatus(e.eid().value(), e.curve().name(), c.available(), c.spent());
  }
}
