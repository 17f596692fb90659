package org.ifpp.euicc.finalisation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.web.Base64Field;
import org.ifpp.web.DomainException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The one way to end production on a chip: the device maker's signed command in, the chip's signed
 * receipt out (GENS13, DMF03/EUICCF03). The APDU card carries the same bytes
 * (docs/finalisation.md).
 */
@RestController
@RequestMapping("/api/v1/chips")
@Tag(name = "chips", description = "Manufacture chips, read their status, finalise production")
class FinalisationController {

  private final FinalisationService finalisation;

  FinalisationController(FinalisationService finalisation) {
    this.finalisation = finalisation;
  }

  @PostMapping(path = "/{eid}/finalise-production", consumes = "application/json")
  @Operation(
      summary = "End production on the device maker's signed command; the chip's signed receipt",
      description =
          "Refused, nothing changed: finalisation-unsigned, finalisation-malformed,"
              + " finalisation-wrong-chip, no-device-maker-key, finalisation-signature-invalid,"
              + " finalisation-replayed")
  FinaliseResponse finalise(
      @PathVariable Eid eid, @RequestBody(required = false) FinaliseRequest request) {
    if (request == null || request.command() == null || request.command().isBlank()) {
      throw new DomainException(
          SimulatorError.FINALISATION_UNSIGNED, "a signed finalisation command is required");
    }
    byte[] command = Base64Field.decode("command", request.command());
    return FinaliseResponse.of(finalisation.finalise(eid, command));
  }
}
