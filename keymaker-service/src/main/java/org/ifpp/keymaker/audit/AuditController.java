package org.ifpp.keymaker.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HexFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: verify the audit chain, read its head (to anchor it outside the database). */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = "application/json")
@Tag(name = "audit")
class AuditController {

  private final AuditLog audit;

  AuditController(AuditLog audit) {
    this.audit = audit;
  }

  record HeadResponse(long seq, String hash) {}

  @GetMapping("/verify")
  @Operation(summary = "Recompute the hash chain; reports the first modified or missing record")
  AuditLog.Verification verify() {
    return audit.verify();
  }

  @GetMapping("/head")
  @Operation(summary = "Last sequence number and hash (publish it as an external anchor)")
  HeadResponse head() {
    AuditLog.Head h = audit.head();
    return new HeadResponse(h.seq(), HexFormat.of().withUpperCase().formatHex(h.hash()));
  }
}
