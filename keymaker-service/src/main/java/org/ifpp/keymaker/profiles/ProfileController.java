package org.ifpp.keymaker.profiles;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.keymaker.web.KeymakerError;
import org.ifpp.keymaker.web.Role;
import org.ifpp.web.DomainException;
import org.ifpp.web.idempotency.IdempotencyService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: import plain profiles (protected at once), list and get their status. */
@RestController
@RequestMapping(path = "/api/v1/profiles", produces = "application/json")
@Tag(name = "profiles", description = "import UPPs; status only, never content")
class ProfileController {

  private final ProfileImportService importer;
  private final IdempotencyService idempotency;

  ProfileController(ProfileImportService importer, IdempotencyService idempotency) {
    this.importer = importer;
    this.idempotency = idempotency;
  }

  /** A batch of UPPs, each base64 of the DER profile package. */
  record ImportRequest(String pool, List<String> profiles) {
    @Override
    public String toString() {
      return "ImportRequest[pool="
          + pool
          + ", profiles="
          + (profiles == null ? 0 : profiles.size())
          + "]";
    }
  }

  record ImportResponse(int count, List<ProfileImportService.Imported> profiles) {}

  @PostMapping(consumes = "application/octet-stream")
  @Operation(summary = "Import one UPP (DER body); 409 duplicate-iccid, 400 malformed-profile")
  ResponseEntity<ProfileImportService.Imported> importOne(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestParam(defaultValue = "default") String pool,
      @RequestBody byte[] der) {
    return idempotency
        .execute(
            Role.OPERATOR.name(),
            key,
            "import-profile",
            List.of(pool, der),
            ProfileImportService.Imported.class,
            () -> importer.importAll("operator", pool, new ArrayList<>(List.of(der))).get(0))
        .respond(HttpStatus.CREATED);
  }

  @PostMapping(consumes = "application/json")
  @Operation(summary = "Import a batch of UPPs (base64 DER), all or nothing")
  ResponseEntity<ImportResponse> importBatch(
      @RequestHeader(name = IdempotencyService.HEADER, required = false) String key,
      @RequestBody ImportRequest request) {
    if (request == null || request.profiles() == null) {
      throw new DomainException(KeymakerError.EMPTY_IMPORT, "profiles: at least one profile");
    }
    List<byte[]> ders = new ArrayList<>(request.profiles().size());
    for (int i = 0; i < request.profiles().size(); i++) {
      String b64 = request.profiles().get(i);
      try {
        ders.add(Base64.getDecoder().decode(b64 == null ? "" : b64.strip()));
      } catch (IllegalArgumentException e) {
        throw new DomainException(
            KeymakerError.INVALID_BASE64, "profiles[" + i + "] is not base64");
      }
    }
    String pool = request.pool() == null ? "default" : request.pool();
    return idempotency
        .execute(
            Role.OPERATOR.name(),
            key,
            "import-profiles",
            request,
            ImportResponse.class,
            () -> {
              List<ProfileImportService.Imported> out = importer.importAll("operator", pool, ders);
              return new ImportResponse(out.size(), out);
            })
        .respond(HttpStatus.CREATED);
  }

  @GetMapping
  @Operation(summary = "List profiles of a pool (status only)")
  List<ProfileImportService.Imported> list(
      @RequestParam(defaultValue = "default") String pool,
      @RequestParam(required = false) ProfileState state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "100") int size) {
    if (page < 0 || size < 1 || size > 1000) {
      throw new DomainException(KeymakerError.INVALID_PAGE, "page >= 0, 1 <= size <= 1000");
    }
    return importer.list(pool, state, page, size);
  }

  @GetMapping("/{iccid}")
  @Operation(summary = "Status of one profile")
  ProfileImportService.Imported get(@PathVariable Iccid iccid) {
    return importer
        .find(iccid)
        .orElseThrow(
            () -> new DomainException(KeymakerError.PROFILE_NOT_FOUND, "no profile " + iccid));
  }
}
