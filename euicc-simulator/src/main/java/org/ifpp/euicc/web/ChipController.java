package org.ifpp.euicc.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.lifecycle.ChipLifecycleService;
import org.ifpp.euicc.manufacturing.ManufacturingService;
import org.ifpp.euicc.manufacturing.internal.CertificateFiles;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Manufacturing (as the EUM), chip status and end of production. */
@RestController
@RequestMapping("/api/v1/chips")
@Tag(name = "chips", description = "Manufacture chips, read their status, finalise production")
class ChipController {

  private final ManufacturingService manufacturing;
  private final ChipLifecycleService lifecycle;
  private final org.ifpp.euicc.store.ChipRepository repository;
  private final SimulatorProperties properties;

  ChipController(
      ManufacturingService manufacturing,
      ChipLifecycleService lifecycle,
      org.ifpp.euicc.store.ChipRepository repository,
      SimulatorProperties properties) {
    this.manufacturing = manufacturing;
    this.lifecycle = lifecycle;
    this.repository = repository;
    this.properties = properties;
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Manufacture N chips in the EUM's EID range, K one-time keys each")
  ManufactureResponse manufacture(@Valid @RequestBody ManufactureRequest request) {
    if (request.count() > properties.maxChipsPerRequest()) {
      throw new DomainException(
          SimulatorError.TOO_MANY_CHIPS,
          "at most " + properties.maxChipsPerRequest() + " chips per request");
    }
    int keys =
        request.oneTimeKeys() == null ? properties.oneTimeKeysPerChip() : request.oneTimeKeys();
    List<Eid> eids = manufacturing.manufacture(request.count(), keys);
    return new ManufactureResponse(eids.stream().map(Eid::value).toList(), keys);
  }

  @PostMapping("/imports")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Build a chip from an existing eUICC certificate and key (test only)")
  ChipStatusResponse importChip(@Valid @RequestBody ImportChipRequest request) {
    X509Certificate cert = certificate("certificate", request.certificate());
    List<X509Certificate> chain = new ArrayList<>();
    if (request.chain() != null) {
      for (String c : request.chain()) {
        chain.add(certificate("chain", c));
      }
    }
    PrivateKey key;
    try {
      key = Pem.readPrivateKey(request.privateKeyPem());
    } catch (IllegalArgumentException e) {
      throw new DomainException(
          SimulatorError.INVALID_PRIVATE_KEY, "privateKeyPem holds no EC private key");
    }
    int keys =
        request.oneTimeKeys() == null ? properties.oneTimeKeysPerChip() : request.oneTimeKeys();
    Eid eid;
    try {
      eid = manufacturing.importChip(cert, chain, key, keys);
    } catch (IllegalArgumentException e) {
      throw new DomainException(SimulatorError.INVALID_CHIP_IDENTITY, e.getMessage());
    }
    return ChipStatusResponse.of(lifecycle.status(eid));
  }

  private static X509Certificate certificate(String field, String base64) {
    try {
      return CertificateFiles.parse(Base64Field.decode(field, base64));
    } catch (IllegalArgumentException e) {
      throw new DomainException(
          SimulatorError.INVALID_CERTIFICATE, field + " is not an X.509 certificate");
    }
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
  ChipStatusResponse status(@PathVariable String eid) {
    return ChipStatusResponse.of(lifecycle.status(EidPathParser.parse(eid)));
  }

  @PostMapping("/{eid}/finalise-production")
  @Operation(
      summary = "End production: wipe unused one-time keys, lock IFPP, unlock field services")
  ChipStatusResponse finalise(@PathVariable String eid) {
    return ChipStatusResponse.of(lifecycle.finaliseProduction(EidPathParser.parse(eid)));
  }

  @PostMapping("/finalise-production")
  @Operation(summary = "End production for a batch of chips")
  List<ChipStatusResponse> finaliseBatch(@Valid @RequestBody EidListRequest request) {
    List<Eid> eids = request.eids().stream().map(EidPathParser::parse).toList();
    eids.forEach(repository::get); // 404 before any change if one EID is unknown
    return eids.stream().map(e -> ChipStatusResponse.of(lifecycle.finaliseProduction(e))).toList();
  }

  @PostMapping("/{eid}/field-services")
  @Operation(summary = "Unlock field services; refused while one-time keys remain (EUICCF04)")
  ChipStatusResponse enableFieldServices(@PathVariable String eid) {
    return ChipStatusResponse.of(lifecycle.enableFieldServices(EidPathParser.parse(eid)));
  }
}
