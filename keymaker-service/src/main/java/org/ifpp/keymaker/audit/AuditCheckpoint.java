package org.ifpp.keymaker.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed statement of the audit chain's head: "record {@code seq} had hash {@code headHash} at
 * {@code at}", signed by the Key Maker's HSM key (ECDSA, raw r||s, over {@link #signedBytes()}).
 * Published outside the database (an append-only file, an endpoint an auditor copies), it anchors
 * the chain: a tail cut after it, or a history rewritten before it, no longer matches it.
 *
 * @param seq the sequence number of the head record
 * @param headHash the head record's hash, 64 upper-case hex digits
 * @param at when the checkpoint was made
 * @param signature the signature, upper-case hex
 */
public record AuditCheckpoint(long seq, String headHash, Instant at, String signature) {

  /** Domain separation: these bytes can never be mistaken for a package's signed data. */
  static final String CONTEXT = "IFPP-AUDIT-CHECKPOINT-V1";

  /** The bytes the signature covers. */
  public byte[] signedBytes() {
    return signedBytes(seq, headHash, at);
  }

  static byte[] signedBytes(long seq, String headHash, Instant at) {
    return (CONTEXT + "\n" + seq + "\n" + headHash + "\n" + at).getBytes(StandardCharsets.US_ASCII);
  }
}
