package org.ifpp.euicc.manufacturing;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.credentials.CertificateFiles;
import org.ifpp.euicc.lifecycle.ChipLifecycleService;
import org.ifpp.euicc.lifecycle.ChipStatusResponse;
import org.ifpp.euicc.manufacturing.internal.Pem;
import org.ifpp.euicc.web.Base64Field;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Manufacturing chips as the EUM, and importing test chips around an existing eUICC key. */
@RestController
@RequestMapping("/api/v1/chips")
@Tag(name = "chips", description = "Manufacture chips, read their status, finalise production")
class ManufacturingController {

  private final ManufacturingService manufacturing;
  private final ChipLifecycleService lifecycle;
  private final SimulatorProperties properties;

  ManufacturingController(
      ManufacturingService manufacturing,
      ChipLifecycleService lifecycle,
      SimulatorProperties properties) {
    this.manufacturing = manufacturing;
    this.lifecycle = lifecycle;
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
    int keys = oneTimeKeys(request.oneTimeKeys());
    List<Eid> eids =
        manufacturing.manufacture(
            request.count(), keys, deviceMakerKey(request.deviceMakerCertificate()));
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
    int keys = oneTimeKeys(request.oneTimeKeys());
    Eid eid;
    try {
      eid =
          manufacturing.importChip(
              cert, chain, key, keys, deviceMakerKey(request.deviceMakerCertificate()));
    } catch (IllegalArgumentException e) {
      throw new DomainException(SimulatorError.INVALID_CHIP_IDENTITY, e.getMessage());
    }
    return ChipStatusResponse.of(lifecycle.status(eid));
  }

  private static EcPublicKey deviceMakerKey(String base64) {
    return base64 == null
        ? null
        : DeviceMakerTrust.keyOf(certificate("deviceMakerCertificate", base64), Instant.now());
  }

  private int oneTimeKeys(Integer requested) {
    return requested == null ? properties.oneTimeKeysPerChip() : requested;
  }

  private static X509Certificate certificate(String field, String base64) {
    try {
      return CertificateFiles.parse(Base64Field.decode(field, base64));
    } catch (IllegalArgumentException e) {
      throw new DomainException(
          SimulatorError.INVALID_CERTIFICATE, field + " is not an X.509 certificate");
    }
  }
}
