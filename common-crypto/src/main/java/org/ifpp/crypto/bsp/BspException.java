package org.ifpp.crypto.bsp;

/**
 * A protected segment failed BSP processing (SGP.22 section 2.6.4). The two kinds map to the SGP.22
 * error reasons scp03tStructureError and scp03tSecurityError.
 */
public final class BspException extends RuntimeException {

  /** The failure kind. */
  public enum Kind {
    /** Malformed segment: wrong length, not whole AES blocks. */
    STRUCTURE,
    /** MAC mismatch or bad padding after a valid MAC. */
    SECURITY
  }

  private final Kind kind;

  public BspException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
