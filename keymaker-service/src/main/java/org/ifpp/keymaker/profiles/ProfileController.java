package org.ifpp.keymaker.profiles;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ifpp.keymaker.web.ApiException;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: import plain profiles (protected at once), list and get their status. */
@RestController
@RequestMapping(path = "/api/v1/profiles", produces = "application/json")
@Tag(name = "profiles", description = "import UPPs; status only, never content")
class ProfileController {

  private final ProfileImportService importer;
  private final ProfileRepository profiles;

  ProfileController(ProfileImportService importer, ProfileRepository profiles) {
    this.importer = importer;
    this.profiles = profiles;
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
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Import one UPP (DER body); 409 duplicate-iccid, 400 malformed-profile")
  ProfileImportService.Imported importOne(
      @RequestParam(defaultValue = "default") String pool, @RequestBody byte[] der) {
    return importer.importAll("operator", pool, new ArrayList<>(List.of(der))).get(0);
  }

  @PostMapping(consumes = "application/json")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(summary = "Import a batch of UPPs (base64 DER), all or nothing")
  ImportResponse importBatch(@RequestBody ImportRequest request) {
    if (request == null || request.profiles() == null) {
      throw ApiException.badRequest("empty-import", "profiles: at least one profile");
    }
    List<byte[]> ders = new ArrayList<>(request.profiles().size());
    for (int i = 0; i < request.profiles().size(); i++) {
      String b64 = request.profiles().get(i);
      try {
        ders.add(Base64.getDecoder().decode(b64 == null ? "" : b64.strip()));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid-base64", "profiles[" + i + "] is not base64");
      }
    }
    List<ProfileImportService.Imported> out =
        importer.importAll("operator", request.pool() == null ? "default" : request.pool(), ders);
    return new ImportResponse(out.size(), out);
  }

  @GetMapping
  @Operation(summary = "List profiles of a pool (status only)")
  List<ProfileImportService.Imported> list(
      @RequestParam(defaultValue = "default") String pool,
      @RequestParam(required = false) ProfileState state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "100") int size) {
    if (page < 0 || size < 1 || size > 1000) {
      throw ApiException.badRequest("invalid-page", "page >= 0, 1 <= size <= 1000");
    }
    PageRequest p = PageRequest.of(page, size);
    List<ProfileEntity> found =
        state == null
            ? profiles.findByPoolOrderById(pool, p)
            : profiles.findByPoolAndStateOrderById(pool, state, p);
    return found.stream().map(ProfileController::view).toList();
  }

  @GetMapping("/{iccid}")
  @Operation(summary = "Status of one profile")
  ProfileImportService.Imported get(@PathVariable String iccid) {
    return profiles
        .findByIccid(iccid)
        .map(ProfileController::view)
        .orElseThrow(() -> ApiException.notFound("unknown-profile", "no profile " + iccid));
  }

  private static ProfileImportService.Imported view(ProfileEntity e) {
    return new ProfileImportService.Imported(
        e.iccid(), e.pool(), e.profileName(), e.state().name());
  }
}
