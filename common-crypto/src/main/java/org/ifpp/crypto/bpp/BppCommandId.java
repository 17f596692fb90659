package org.ifpp.crypto.bpp;

/**
 * The SGP.22 BppCommandId (section 5.5.6, ProfileInstallationResult): which part of the Bound
 * Profile Package was being processed when an error occurred.
 */
public enum BppCommandId {
  INITIALISE_SECURE_CHANNEL(0),
  CONFIGURE_ISDP(1),
  STORE_METADATA(2),
  STORE_METADATA2(3),
  REPLACE_SESSION_KEYS(4),
  LOAD_PROFILE_ELEMENTS(5);

  private final int code;

  BppCommandId(int code) {
    this.code = code;
  }

  /** The SGP.22 integer value. */
  public int code() {
    return code;
  }
}
