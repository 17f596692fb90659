package org.ifpp.keymaker.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HexFormat;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operator API: verify the audit chain, read its head (to anchor it outside the database). */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = "application/json")
@Tag(name = "audit")
class AuditController {

  private final AuditLog audit;
  private final AuditCheckpoints checkpoints;

  AuditController(AuditLog audit, AuditCheckpoints checkpoints) {
    this.audit = audit;
    this.checkpoints = checkpoints;
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

  @GetMapping("/checkpoints")
  @Operation(summary = "Every signed checkpoint published so far (copy them outside the Key Maker)")
  List<AuditCheckpoint> checkpoints() {
    return checkpoints.published();
  }

  @PostMapping("/checkpoints")
  @Operation(summary = "Sign and publish the current head now")
  AuditCheckpoint checkpointNow() {
    return checkpoints.checkpoint();
  }

  @PostMapping(path = "/verify", consumes = "application/json")
  @Operation(
      summary =
          "Verify the chain against a checkpoint kept outside the database: detects a forged"
              + " checkpoint, a cut tail and a rewritten history")
  AuditCheckpoints.CheckpointVerification verifyAgainst(@RequestBody AuditCheckpoint checkpoint) {
    return checkpoints.verify(checkpoint);
  }
}
