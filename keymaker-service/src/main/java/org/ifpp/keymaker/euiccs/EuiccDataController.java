package org.ifpp.keymaker.euiccs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.keymaker.web.Role;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.Fingerprint;
import org.ifpp.web.idempotency.Fingerprinted;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: import what an EUM exports for its chips (DPFF10), and see a chip's keys. */
@RestController
@RequestMapping(path = "/api/v1/euicc-data", produces = "application/json")
@Tag(name = "euicc data", description = "verified eUICCs and their one-time keys")
class EuiccDataController {

  private final EuiccDataService service;
  private final EuiccRegistry registry;
  private final IdempotencyService idempotency;

  EuiccDataController(
      EuiccDataService service, EuiccRegistry registry, IdempotencyService idempotency) {
    this.service = service;
    this.registry = registry;
    this.idempotency = idempotency;
  }

  /** The import runs its own transactions: the key is reserved around them. */
  private ResponseEntity<EuiccDataService.ImportResult> importOnce(
      String key, String operation, Object request, List<EuiccDataService.Filed> filed) {
    return idempotency
        .executeInOwnTransactions(
            Role.OPERATOR.name(),
            key,
            operation,
            request,
            EuiccDataService.ImportResult.class,
            () -> service.importAll("operator", filed))
        .respond(HttpStatus.OK);
  }

  /**
   * The JSON form of docs/euicc-data-format.md section 4. Its Idempotency-Key fingerprint feeds the
   * fields as they arrived (no second JSON encoding of megabytes of base64).
   */
  record ImportRequest(String format, List<FiledChip> euiccs) implements Fingerprinted {
    @Override
    public void fingerprint(Fingerprint into) {
      into.field(format);
      if (euiccs == null) {
        into.field(null);
        return;
      }
      into.count(euiccs.size());
      for (FiledChip c : euiccs) {
        into.field(c == null ? null : c.eid()).field(c == null ? null : c.data());
      }
    }
  }

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
  ResponseEntity<EuiccDataService.ImportResult> importJson(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody ImportRequest request) {
    if (request == null || request.euiccs() == null || request.euiccs().isEmpty()) {
      throw new DomainException(KeymakerError.EMPTY_IMPORT, "euiccs: at least one");
    }
    if (request.format() != null && !"ifpp-euicc-data/1".equals(request.format())) {
      throw new DomainException(
          KeymakerError.UNSUPPORTED_FORMAT, "format must be ifpp-euicc-data/1");
    }
    if (request.euiccs().size() > 10_000) {
      throw new DomainException(KeymakerError.IMPORT_TOO_LARGE, "at most 10000 eUICCs per request");
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
    return importOnce(key, "import-euicc-data", request, filed);
  }

  @PostMapping(consumes = "application/octet-stream")
  @Operation(summary = "Import a DER batch (E2) of eUICC data; answered like the JSON form")
  ResponseEntity<EuiccDataService.ImportResult> importBatch(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody byte[] der) {
    if (!(org.ifpp.crypto.euiccdata.EuiccDataBatch.parse(der)
        instanceof org.ifpp.crypto.euiccdata.BatchParseResult.Parsed parsed)) {
      throw new DomainException(KeymakerError.MALFORMED, "not a DER eUICC data batch (E2)");
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
    return importOnce(key, "import-euicc-batch", der, filed);
  }

  @GetMapping("/{eid}")
  @Operation(summary = "A chip's one-time key counts")
  EuiccStatus get(@PathVariable("eid") Eid id) {
    EuiccRegistry.Euicc e =
        registry
            .find(id)
            .orElseThrow(
                () -> new DomainException(KeymakerError.EUICC_NOT_FOUND, "no eUICC " + id));
    EuiccRegistry.KeyCounts c = registry.keyCounts(id);
    return new EuiccStatus(e.eid().value(), e.curve().name(), c.available(), c.spent());
  }
}
