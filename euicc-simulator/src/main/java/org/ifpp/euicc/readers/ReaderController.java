package org.ifpp.euicc.readers;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.web.EidPathParser;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Chips in PC/SC readers (vpcd ports): {@code PUT /api/v1/readers/{port}} {@code {"eid"}} puts a
 * chip in, {@code DELETE} takes it out, {@code GET /api/v1/readers} lists what is where.
 */
@RestController
@RequestMapping("/api/v1/readers")
@Tag(name = "readers", description = "Chips inserted into virtual PC/SC readers (vpcd)")
class ReaderController {

  /** The request body of an insertion. */
  record InsertRequest(String eid) {}

  /** A reader holding a chip. */
  record ReaderResponse(int port, String eid, boolean connected) {
    static ReaderResponse of(ReaderService.Reader r) {
      return new ReaderResponse(r.port(), r.eid().value(), r.connected());
    }
  }

  /** Every reader holding a chip. */
  record ReaderListResponse(List<ReaderResponse> readers) {}

  private final ReaderService readers;

  ReaderController(ReaderService readers) {
    this.readers = readers;
  }

  @PutMapping("/{port}")
  @Operation(summary = "Insert a chip into the vpcd reader on this port (replacing its chip)")
  ReaderResponse insert(@PathVariable String port, @RequestBody InsertRequest request) {
    if (request == null || request.eid() == null) {
      throw new ReaderException(SimulatorError.MISSING_FIELD, "eid is required");
    }
    return ReaderResponse.of(readers.insert(port(port), EidPathParser.parse(request.eid())));
  }

  @DeleteMapping("/{port}")
  @Operation(summary = "Take the chip out of the reader on this port")
  ResponseEntity<Void> remove(@PathVariable String port) {
    readers.remove(port(port));
    return ResponseEntity.noContent().build();
  }

  @GetMapping
  @Operation(summary = "List the readers holding a chip")
  ReaderListResponse list() {
    return new ReaderListResponse(readers.list().stream().map(ReaderResponse::of).toList());
  }

  private static int port(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ReaderException(SimulatorError.INVALID_READER, "a reader is a vpcd port number");
    }
  }
}
