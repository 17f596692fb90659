package org.ifpp.keymaker.audit;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.keymaker.hsm.HsmSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the audit chain's head with the HSM key and publishes it outside the database (issue 13:
 * without an external anchor, deleting the last records and rewinding the stored head would verify
 * as intact). Checkpoints are made every {@link CheckpointProperties#everyRecords()} records, at
 * least every {@link CheckpointProperties#interval()} while the chain grows, and on demand.
 *
 * <p>{@link #verify} checks a checkpoint an auditor kept against the database: its signature, the
 * chain itself, that the chain still reaches the checkpoint's record, and that this record still
 * has the checkpoint's hash.
 */
public class AuditCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** The outcome of {@link #verify}: valid, or the stable code of the first failed check. */
  public record CheckpointVerification(boolean valid, String code, String detail) {
    static CheckpointVerification ok() {
      return new CheckpointVerification(true, null, null);
    }

    static CheckpointVerification failed(String code, String detail) {
      return new CheckpointVerification(false, code, detail);
    }
  }

  private final AuditLog audit;
  private final HsmSigner signer;
  private final CheckpointFile file;
  private final CheckpointProperties properties;
  private final Clock clock;
  private AuditCheckpoint last;

  AuditCheckpoints(
      AuditLog audit,
      HsmSigner signer,
      CheckpointFile file,
      CheckpointProperties properties,
      Clock clock) {
    this.audit = audit;
    this.signer = signer;
    this.file = file;
    this.properties = properties;
    this.clock = clock;
    List<AuditCheckpoint> published = file.readAll();
    this.last = published.isEmpty() ? null : published.get(published.size() - 1);
  }

  /** Signs and publishes the current head (on demand). */
  public synchronized AuditCheckpoint checkpoint() {
    AuditLog.Head head = audit.head();
    String hash = HEX.formatHex(head.hash());
    Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    byte[] signature = signer.sign(AuditCheckpoint.signedBytes(head.seq(), hash, at));
    AuditCheckpoint c = new AuditCheckpoint(head.seq(), hash, at, HEX.formatHex(signature));
    file.append(c);
    last = c;
    log.info("audit checkpoint published: record {} ({})", c.seq(), file.path());
    return c;
  }

  /** Makes a checkpoint if enough records or enough time passed since the last one. */
  synchronized Optional<AuditCheckpoint> maybeCheckpoint() {
    AuditLog.Head head = audit.head();
    long since = last == null ? head.seq() : head.seq() - last.seq();
    if (since <= 0) {
      return Optional.empty();
    }
    boolean due =
        since >= properties.everyRecords()
            || last == null
            || !clock.instant().isBefore(last.at().plus(properties.interval()));
    return due ? Optional.of(checkpoint()) : Optional.empty();
  }

  /** Every checkpoint published so far, oldest first. */
  public List<AuditCheckpoint> published() {
    return file.readAll();
  }

  /** Checks the database's chain against a checkpoint kept outside it. */
  public CheckpointVerification verify(AuditCheckpoint c) {
    byte[] hash;
    byte[] signature;
    try {
      hash = HEX.parseHex(c.headHash());
      signature = HEX.parseHex(c.signature());
    } catch (RuntimeException e) {
      return CheckpointVerification.failed("checkpoint-malformed", "hash and signature are hex");
    }
    if (c.at() == null
        || c.seq() < 0
        || !EcdsaVerification.verifyRaw(signer.publicKey(), c.signedBytes(), signature)) {
      return CheckpointVerification.failed(
          "checkpoint-signature-invalid", "the checkpoint is not signed by this Key Maker");
    }
    AuditLog.Verification chain = audit.verify();
    if (!chain.intact()) {
      return CheckpointVerification.failed(
          "audit-chain-broken", chain.problem() + " at record " + chain.firstBadSeq());
    }
    AuditLog.Head head = audit.head();
    if (head.seq() < c.seq()) {
      return CheckpointVerification.failed(
          "audit-tail-cut",
          "the chain ends at record " + head.seq() + ", the checkpoint signed record " + c.seq());
    }
    Optional<byte[]> stored = c.seq() == 0 ? Optional.of(new byte[32]) : audit.hashAt(c.seq());
    if (stored.isEmpty() || !MessageDigest.isEqual(stored.get(), hash)) {
      return CheckpointVerification.failed(
          "audit-history-rewritten", "record " + c.seq() + " no longer has the signed hash");
    }
    return CheckpointVerification.ok();
  }
}
