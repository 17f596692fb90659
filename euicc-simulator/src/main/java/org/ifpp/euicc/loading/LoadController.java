package org.ifpp.euicc.loading;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.config.SimulatorProperties;
import org.ifpp.euicc.store.ChipRepository;
import org.ifpp.euicc.web.Base64Field;
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
import tools.jackson.databind.json.JsonMapper;

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
  static final String BPP_EUICC_OTPK_HEADER = "X-Bpp-Euicc-Otpk";
  static final String RESULT_HEADER = "X-Ifpp-Result";
  static final String ERROR_REASON_HEADER = "X-Ifpp-Error-Reason";
  static final String ICCID_HEADER = "X-Ifpp-Iccid";
  static final String REMAINING_HEADER = "X-Ifpp-Remaining-One-Time-Keys";

  private final PackageLoader loader;
  private final LoadSessionRegistry sessions;
  private final ChipRepository chips;
  private final SimulatorProperties properties;
  private final JsonMapper json;

  LoadController(
      PackageLoader loader,
      LoadSessionRegistry sessions,
      ChipRepository chips,
      SimulatorProperties properties,
      JsonMapper json) {
    this.loader = loader;
    this.sessions = sessions;
    this.chips = chips;
    this.properties = properties;
    this.json = json;
  }

  @PostMapping(
      path = "/loads",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(summary = "Load a whole package (JSON, base64 fields)")
  ResponseEntity<?> loadJson(
      @PathVariable("eid") Eid id,
      @RequestBody LoadRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    byte[] bpp = limited(Base64Field.decode("boundProfilePackage", request.boundProfilePackage()));
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    return answer(
        loader.load(id, bpp, cert, bppEuiccOtpk("bppEuiccOtpk", request.bppEuiccOtpk())), accept);
  }

  /**
   * The whole-package load as factory-line sends it, one call per chip (IFPP.md section 6): the raw
   * BF36 read straight from the request and, for {@code Accept: application/octet-stream}, the raw
   * signed PIR written straight to the response. No message converter or return-value handling runs
   * for it: those cost a third of the request's CPU beside the chip's own load (JFR,
   * docs/euicc-simulator.md section 6). Its EID is parsed by the converter like every other path's.
   */
  @PostMapping(
      path = "/loads",
      consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(
      summary = "Load a whole package sent raw; the binding certificate in X-Binding-Certificate")
  void loadRaw(
      @PathVariable("eid") Eid id, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] bpp = rawBody(request);
    byte[] cert =
        Base64Field.decode(
            BINDING_CERTIFICATE_HEADER, request.getHeader(BINDING_CERTIFICATE_HEADER));
    LoadOutcome o =
        loader.load(
            id,
            bpp,
            cert,
            bppEuiccOtpk(BPP_EUICC_OTPK_HEADER, request.getHeader(BPP_EUICC_OTPK_HEADER)));
    if (octetsOnly(request.getHeader(HttpHeaders.ACCEPT))) {
      writeOctets(response, o);
    } else {
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      json.writeValue(response.getOutputStream(), LoadResponse.of(o));
    }
  }

  /** SGP.22's bppEuiccOtpk as hex, optional; {@code invalid-bpp-euicc-otpk} if malformed. */
  private static BppEuiccOtpk bppEuiccOtpk(String field, String hex) {
    if (hex == null || hex.isBlank()) {
      return null;
    }
    try {
      return BppEuiccOtpk.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new DomainException(
          SimulatorError.INVALID_BPP_EUICC_OTPK,
          field + " must be the hex of a 65-byte uncompressed point (04||X||Y)");
    }
  }

  /** The raw body, refused before it is read when its declared length is over the limit. */
  private byte[] rawBody(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    int max = properties.maxPackageBytes();
    if (declared > max) {
      throw new PackageTooLargeException(max);
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(declared < 0 ? max + 1 : (int) declared);
    }
    if (body.length > max) {
      throw new PackageTooLargeException(max);
    }
    if (declared >= 0 && body.length != declared) {
      throw new EOFException("request body ended early");
    }
    if (body.length == 0) {
      throw new DomainException(
          SimulatorError.MISSING_FIELD, "the request body (the package) is required");
    }
    return body;
  }

  private static void writeOctets(HttpServletResponse response, LoadOutcome o) throws IOException {
    byte[] pir = o.profileInstallationResult();
    response.setStatus(HttpServletResponse.SC_OK);
    response.setHeader(RESULT_HEADER, o.installed() ? "installed" : "rejected");
    response.setHeader(REMAINING_HEADER, Integer.toString(o.remainingOneTimeKeys()));
    o.errorReason().ifPresent(r -> response.setHeader(ERROR_REASON_HEADER, r));
    o.iccid().ifPresent(i -> response.setHeader(ICCID_HEADER, i.value()));
    response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
    response.setContentLength(pir.length);
    response.getOutputStream().write(pir);
  }

  @PostMapping(
      path = "/es10b-loads",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(summary = "Load a package given as its list of ES10b segments, in one call")
  ResponseEntity<?> loadSegments(
      @PathVariable("eid") Eid id,
      @RequestBody SegmentedLoadRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    chips.get(id);
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    if (request.segments() == null || request.segments().isEmpty()) {
      throw new DomainException(SimulatorError.MISSING_FIELD, "segments is required");
    }
    List<byte[]> segments =
        request.segments().stream().map(s -> Base64Field.decode("segments", s)).toList();
    BppEuiccOtpk named = bppEuiccOtpk("bppEuiccOtpk", request.bppEuiccOtpk());
    return answer(sessions.loadSegments(id, cert, named, segments), accept);
  }

  @PostMapping(path = "/es10b-sessions", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Open a segmented load session (one per package)")
  ResponseEntity<SessionResponse> startSession(
      @PathVariable("eid") Eid id, @RequestBody StartSessionRequest request) {
    chips.get(id);
    byte[] cert = Base64Field.decode("bindingCertificate", request.bindingCertificate());
    UUID session = sessions.start(id, cert, bppEuiccOtpk("bppEuiccOtpk", request.bppEuiccOtpk()));
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
      @PathVariable Eid eid,
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
      @PathVariable Eid eid,
      @PathVariable String sessionId,
      @RequestBody SegmentRequest request,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    return segment(eid, sessionId, Base64Field.decode("segment", request.segment()), accept);
  }

  @DeleteMapping("/es10b-sessions/{sessionId}")
  @Operation(
      summary =
          "Abort a segmented load session (a one-time key consumed at its first segment stays"
              + " consumed)")
  ResponseEntity<Void> abort(@PathVariable Eid eid, @PathVariable String sessionId) {
    sessions.abort(eid, sessionUuid(sessionId));
    return ResponseEntity.noContent().build();
  }

  private ResponseEntity<?> segment(Eid eid, String sessionId, byte[] segment, String accept) {
    LoadSessionRegistry.SegmentResult r = sessions.accept(eid, sessionUuid(sessionId), segment);
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
      throw new PackageTooLargeException(properties.maxPackageBytes());
    }
    return bpp;
  }

  /** JSON summary by default; the raw signed PIR when only application/octet-stream is accepted. */
  static ResponseEntity<?> answer(LoadOutcome o, String accept) {
    if (octetsOnly(accept)) {
      LoadResponse summary = LoadResponse.of(o);
      ResponseEntity.BodyBuilder b =
          ResponseEntity.ok()
              .contentType(MediaType.APPLICATION_OCTET_STREAM)
              .header(RESULT_HEADER, summary.result())
              .header(REMAINING_HEADER, Integer.toString(o.remainingOneTimeKeys()));
      o.errorReason().ifPresent(r -> b.header(ERROR_REASON_HEADER, r));
      o.iccid().ifPresent(i -> b.header(ICCID_HEADER, i.value()));
      return b.body(o.profileInstallationResult());
    }
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(LoadResponse.of(o));
  }

  private static boolean octetsOnly(String accept) {
    return accept != null
        && accept.contains(MediaType.APPLICATION_OCTET_STREAM_VALUE)
        && !accept.contains(MediaType.APPLICATION_JSON_VALUE);
  }
}
