package org.ifpp.euicc.euiccdata;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.euiccdata.EuiccData;
import org.ifpp.crypto.euiccdata.EuiccDataBatch;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.web.EidListRequest;
import org.ifpp.euicc.web.EidPathParser;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The EUM's export of eUICC data (public keys and certificates only, never a private key). */
@RestController
@RequestMapping("/api/v1/euicc-data")
@Tag(name = "euicc-data", description = "Export eUICC data for the Key Maker (DPFF10)")
class EuiccDataController {

  static final String FORMAT = "ifpp-euicc-data/1";

  private final EuiccDataExportService export;
  private final SimulatorProperties properties;

  EuiccDataController(EuiccDataExportService export, SimulatorProperties properties) {
    this.export = export;
    this.properties = properties;
  }

  @PostMapping(
      path = "/export",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(
      summary =
          "Export eUICC data of a batch of chips: JSON (the Key Maker's import form), or the E2 DER"
              + " batch when only application/octet-stream is accepted")
  ResponseEntity<?> export(
      @Valid @RequestBody EidListRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    if (request.eids().size() > properties.maxChipsPerRequest()) {
      throw new DomainException(
          SimulatorError.TOO_MANY_CHIPS,
          "at most " + properties.maxChipsPerRequest() + " chips per request");
    }
    List<Eid> eids = request.eids().stream().map(EidPathParser::parse).toList();
    List<EuiccData> data = export.export(eids);
    if (accept != null
        && accept.contains(MediaType.APPLICATION_OCTET_STREAM_VALUE)
        && !accept.contains(MediaType.APPLICATION_JSON_VALUE)) {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_OCTET_STREAM)
          .body(EuiccDataBatch.of(data).encode());
    }
    Base64.Encoder b64 = Base64.getEncoder();
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            new EuiccDataExportResponse(
                FORMAT,
                data.stream()
                    .map(
                        d ->
                            new EuiccDataExportResponse.Entry(
                                d.eid().value(), b64.encodeToString(d.encode())))
                    .toList()));
  }
}
