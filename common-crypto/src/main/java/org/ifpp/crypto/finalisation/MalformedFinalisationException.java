package org.ifpp.crypto.finalisation;

/**
 * A finalisation command or receipt is not the structure of {@code docs/euicc-simulator.md} (wrong
 * tags, lengths, or not BER-TLV). The message names the problem, never a key.
 */
public final class MalformedFinalisationException extends RuntimeException {

  public MalformedFinalisationException(String message) {
    super(message);
  }
}
