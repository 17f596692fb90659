package org.ifpp.crypto.finalisation;

/**
 * A finalisation command or receipt is not the structure of {@code docs/finalisation.md} (wrong
 * tags, lengths, or not BER-TLV), or carries no signature at all ({@link #unsigned()}). The message
 * names the problem, never a key.
 */
public final class MalformedFinalisationException extends RuntimeException {

  private final boolean unsigned;

  public MalformedFinalisationException(String message) {
    this(message, false);
  }

  MalformedFinalisationException(String message, boolean unsigned) {
    super(message);
    this.unsigned = unsigned;
  }

  /** The structure is well formed but its signature (5F37) is missing. */
  public boolean unsigned() {
    return unsigned;
  }
}
