package org.ifpp.crypto.pir;

import java.util.Optional;

/**
 * The BPP command during which installation failed (SGP.22 section 5.5.3, {@code BppCommandId}),
 * with its numeric value on the wire (tag 80 in ErrorResult).
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

  public int code() {
    return code;
  }

  public static Optional<BppCommandId> fromCode(long code) {
    for (BppCommandId id : values()) {
      if (id.code == code) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }
}
