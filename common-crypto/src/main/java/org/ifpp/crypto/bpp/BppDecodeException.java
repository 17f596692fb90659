package org.ifpp.crypto.bpp;

import org.ifpp.crypto.pir.BppCommandId;

/**
 * A Bound Profile Package failed BSP verification, decryption or content checks at a given {@link
 * BppCommandId}. The message never carries secret or profile bytes.
 */
public final class BppDecodeException extends Exception {

  /** The failure kind, mapped to SGP.22 error reasons by the opener. */
  public enum Kind {
    /** scp03tStructureError: a malformed segment or decrypted command. */
    STRUCTURE,
    /** scp03tSecurityError: a MAC did not verify, or padding was wrong after a valid MAC. */
    SECURITY,
    /** The decrypted content is not what it must be (metadata or profile unparseable). */
    CONTENT
  }

  private final BppCommandId commandId;
  private final Kind kind;

  public BppDecodeException(BppCommandId commandId, Kind kind, String message) {
    super(commandId + " " + kind + ": " + message);
    this.commandId = commandId;
    this.kind = kind;
  }

  public BppCommandId commandId() {
    return commandId;
  }

  public Kind kind() {
    return kind;
  }
}
