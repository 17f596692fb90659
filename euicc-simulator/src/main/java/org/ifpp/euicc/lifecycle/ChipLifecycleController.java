package org.ifpp.euicc.lifecycle;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.web.DomainException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet's EIDs, a chip's status, field services (EUICCF04). The end of production is the signed
 * command of {@code finalisation.FinalisationController}.
 */
@RestController
@RequestMapping("/api/v1/chips")
@Tag(name = "chips", description = "Manufacture chips, read their status, finalise production")
class ChipLifecycleController {

  private final ChipLifecycleService lifecycle;
  private final ChipRepository repository;

  ChipLifecycleController(ChipLifecycleService lifecycle, ChipRepository repository) {
    this.lifecycle = lifecycle;
    this.repository = repository;
  }

  @GetMapping
  @Operation(summary = "List EIDs (sorted, paged)")
  List<String> list(
      @RequestParam(defaultValue = "0") int offset,
      @RequestParam(defaultValue = "1000") int limit) {
    if (offset < 0 || limit < 1 || limit > 100_000) {
      throw new DomainException(SimulatorError.INVALID_PAGE, "offset >= 0, 1 <= limit <= 100000");
    }
    return repository.eids().stream().skip(offset).limit(limit).map(Eid::value).toList();
  }

  @GetMapping("/{eid}")
  @Operation(summary = "A chip's status: mode, one-time keys left, installed profiles")
  ChipStatusResponse status(@PathVariable Eid eid) {
    return ChipStatusResponse.of(lifecycle.status(eid));
  }

  @PostMapping("/{eid}/field-services")
  @Operation(summary = "Unlock field services; refused while one-time keys remain (EUICCF04)")
  ChipStatusResponse enableFieldServices(@PathVariable Eid eid) {
    return ChipStatusResponse.of(lifecycle.enableFieldServices(eid));
  }
}
