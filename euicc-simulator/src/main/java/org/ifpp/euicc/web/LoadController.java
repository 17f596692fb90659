package org.ifpp.euicc.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.loading.LoadOutcome;
import org.ifpp.euicc.loading.LoadSessionRegistry;
import org.ifpp.euicc.loading.PackageLoader;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.web.DomainException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Loading bound packages into chips (the FPA services, IFPP.md section 6): whole, as a list of
 * ES10b segments, or segment by segment in a session. Every answer from a chip is a 200 carrying
 * the signed PIR, installed or not; input that never reached a chip's checks is a 4xx problem.
 */
@RestController
@RequestMapping("/api/v1/chips/{eid}")
@Tag(name = "loading", description = "Load Bound Profile Packages (whole or ES10b-segmented)")
class LoadController {

  static final String BINDING_CERTIFICATE_HEADER = "X-Binding-Certificate";

  private final PackageLoader loader;
  private final LoadSessionRegistry sessions;
  private final ChipRepository chips;
  private final SimulatorProperties properties;

  LoadController(
      PackageLoader loader,
      LoadSessionRegistry sessions,
      ChipRepository chips,
      SimulatorProperties properties) {
    this.loader = loader;
    this.sessions = sessions;
    this.chips = chips;
    this.properties = properties;
  }

  @PostMapping(
      path = "/loads",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(summary = "Load a whole package (JSON, base64 fields)")
  ResponseEntity<?> loadJson(
      @PathVariable String eid,
      @RequestBody LoadRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    Eid id = EidPathParser.parse(eid);
    byte[] bpp = limited(Base64Field.decode("boundProfilePackage", request.boundProfilePackage()));
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    return answer(loader.load(id, bpp, cert), accept);
  }

  @PostMapping(
      path = "/loads",
      consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(
      summary = "Load a whole package sent raw; the binding certificate in X-Binding-Certificate")
  ResponseEntity<?> loadRaw(
      @PathVariable String eid,
      @RequestBody byte[] bpp,
      @RequestHeader(name = BINDING_CERTIFICATE_HEADER, required = false) String certificate,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    Eid id = EidPathParser.parse(eid);
    byte[] cert = Base64Field.decode(BINDING_CERTIFICATE_HEADER, certificate);
    return answer(loader.load(id, limited(bpp), cert), accept);
  }

  @PostMapping(
      path = "/es10b-loads",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(summary = "Load a package given as its list of ES10b segments, in one call")
  ResponseEntity<?> loadSegments(
      @PathVariable String eid,
      @RequestBody SegmentedLoadRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    Eid id = EidPathParser.parse(eid);
    chips.get(id);
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    if (request.segments() == null || request.segments().isEmpty()) {
      throw new DomainException(SimulatorError.MISSING_FIELD, "segments is required");
    }
    List<byte[]> segments =
        request.segments().stream().map(s -> Base64Field.decode("segments", s)).toList();
    return answer(sessions.loadSegments(id, cert, segments), accept);
  }

  @PostMapping(path = "/es10b-sessions", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Open a segmented load session (one per package)")
  ResponseEntity<SessionResponse> startSession(
      @PathVariable String eid, @RequestBody StartSessionRequest request) {
    Eid id = EidPathParser.parse(eid);
    chips.get(id);
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    UUID session = sessions.start(id, cert);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(new SessionResponse(session.toString(), "EXPECT_HEADER", 0));
  }

  @PostMapping(
      path = "/es10b-sessions/{sessionId}/segments",
      consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(
      summary =
          "Send the next segment raw: 202 while more are expected, 200 with the PIR after the last")
  ResponseEntity<?> segmentRaw(
      @PathVariable String eid,
      @PathVariable String sessionId,
      @RequestBody byte[] segment,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    return segment(eid, sessionId, segment, accept);
  }

  @PostMapping(
      path = "/es10b-sessions/{sessionId}/segments",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(summary = "Send the next segment as JSON (base64)")
  ResponseEntity<?> segmentJson(
      @PathVariable String eid,
      @PathVariable String sessionId,
      @RequestBody SegmentRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    return segment(eid, sessionId, Base64Field.decode("segment", request.segment()), accept);
  }

  @DeleteMapping("/es10b-sessions/{sessionId}")
  @Operation(summary = "Abort a segmented load session (nothing changes on the chip)")
  ResponseEntity<Void> abort(@PathVariable String eid, @PathVariable String sessionId) {
    sessions.abort(EidPathParser.parse(eid), sessionUuid(sessionId));
    return ResponseEntity.noContent().build();
  }

  private ResponseEntity<?> segment(String eid, String sessionId, byte[] segment, String accept) {
    Eid id = EidPathParser.parse(eid);
    LoadSessionRegistry.SegmentResult r = sessions.accept(id, sessionUuid(sessionId), segment);
    if (r instanceof LoadSessionRegistry.SegmentResult.Completed done) {
      return answer(done.outcome(), accept);
    }
    LoadSessionRegistry.SegmentResult.Pending p = (LoadSessionRegistry.SegmentResult.Pending) r;
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new SessionResponse(p.sessionId().toString(), p.next().name(), p.segmentsReceived()));
  }

  private static UUID sessionUuid(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new LoadSessionRegistry.SessionNotFoundException(null);
    }
  }

  private byte[] limited(byte[] bpp) {
    if (bpp.length > properties.maxPackageBytes()) {
      throw new DomainException(
          SimulatorError.PACKAGE_TOO_LARGE,
          "package exceeds " + properties.maxPackageBytes() + " bytes");
    }
    return bpp;
  }

  /** JSON summary by default; the raw signed PIR when only application/octet-stream is accepted. */
  static ResponseEntity<?> answer(LoadOutcome o, String accept) {
    if (accept != null
        && accept.contains(MediaType.APPLICATION_OCTET_STREAM_VALUE)
        && !accept.contains(MediaType.APPLICATION_JSON_VALUE)) {
      LoadResponse summary = LoadResponse.of(o);
      ResponseEntity.BodyBuilder b =
          ResponseEntity.ok()
              .contentType(MediaType.APPLICATION_OCTET_STREAM)
              .header("X-Ifpp-Result", summary.result())
              .header("X-Ifpp-Remaining-One-Time-Keys", Integer.toString(o.remainingOneTimeKeys()));
      o.errorReason().ifPresent(r -> b.header("X-Ifpp-Error-Reason", r));
      o.iccid().ifPresent(i -> b.header("X-Ifpp-Iccid", i.value()));
      return b.body(o.profileInstallationResult());
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(LoadResponse.of(o));
  }
}
