package org.ifpp.keymaker.euiccs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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

  /** The JSON form of docs/euicc-data-format.md section 4. */
  record ImportRequest(String format, List<FiledChip> euiccs) {}

  /** One chip: the EID it is filed under and base64 of its DER record (E1). */
  record FiledChip(String eid, String data) {}

  record EuiccStatus(String eid, String curve, long availableKeys, long spentKeys) {}

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Import eUICC data (DPFF10); each chip accepted or rejected on its own",
      description =
          "Codes (EuiccDataRejection): MALFORMED, UNTRUSTED_CHAIN, CERTIFICATE_BAD_SIGNATURE,"
              + " CERTIFICATE_EXPIRED, EID_MISMATCH, EID_OUTSIDE_EUM_RANGE,"
              + " ONE_TIME_KEY_BAD_SIGNATURE, DUPLICATE_KEY_INDEX, DUPLICATE_ONE_TIME_KEY,"
              + " DUPLICATE_EID... A body that is not this JSON is 400 problem+json.")
  EuiccDataService.ImportResult importJson(@RequestBody ImportRequest request) {
    if (request == null || request.euiccs() == null || request.euiccs().isEmpty()) {
      throw ApiException.badRequest("empty-import", "euiccs: at least one");
    }
    if (request.format() != null && !"ifpp-euicc-data/1".equals(request.format())) {
      throw ApiException.badRequest("unsupported-format", "format must be ifpp-euicc-data/1");
    }
    if (request.euiccs().size() > 10_000) {
      throw ApiException.badRequest("import-too-large", "at most 10000 eUICCs per request");
    }
    List<EuiccDataService.Filed> filed = new ArrayList<>();
    for (FiledChip c : request.euiccs()) {
      byte[] der;
      try {
        der = Base64.getDecoder().decode(c == null || c.data() == null ? "" : c.data().strip());
      } catch (IllegalArgumentException e) {
        der = new byte[0]; // rejected as MALFORMED for this chip only
      }
      filed.add(new EuiccDataService.Filed(c == null ? null : c.eid(), der));
    }
    return service.importAll("operator", filed);
  }

  @PostMapping(consumes = "application/octet-stream")
  @Operation(summary = "Import a DER batch (E2) of eUICC data; answered like the JSON form")
  EuiccDataService.ImportResult importBatch(@RequestBody byte[] der) {
    if (!(org.ifpp.crypto.euiccdata.EuiccDataBatch.parse(der)
        instanceof org.ifpp.crypto.euiccdata.BatchParseResult.Parsed parsed)) {
      throw ApiException.badRequest("malformed", "not a DER eUICC data batch (E2)");
    }
    List<EuiccDataService.Filed> filed = new ArrayList<>();
    for (var record : parsed.records()) {
      filed.add(
          new EuiccDataService.Filed(
              null,
              record instanceof org.ifpp.crypto.euiccdata.EuiccDataParseResult.Parsed p
                  ? p.data().encode()
                  : new byte[0]));
    }
    return service.importAll("operator", filed);
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
