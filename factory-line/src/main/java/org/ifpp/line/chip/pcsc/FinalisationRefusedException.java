package org.ifpp.line.chip.pcsc;

import org.ifpp.crypto.ids.Eid;

/**
 * The chip refused the device maker's finalisation command given over APDUs (docs/finalisation.md
 * section 5), nothing changed: {@code 6985} conditions not satisfied (replayed, no device-maker
 * key), {@code 6982} security status (unsigned, bad signature, another chip's command), {@code
 * 6A80} malformed. {@link #code()} names it as the simulator's HTTP refusal does where the status
 * word says enough.
 */
public class FinalisationRefusedException extends RuntimeException {

  private final int statusWord;

  public FinalisationRefusedException(Eid eid, int statusWord) {
    super(String.format("chip %s refused the finalisation command: %04X", eid, statusWord));
    this.statusWord = statusWord;
  }

  public int statusWord() {
    return statusWord;
  }

  /** A reason for the device's finalisation outcome. */
  public String code() {
    return switch (statusWord) {
      case 0x6985 -> "finalisation-conditions-not-satisfied";
      case 0x6982 -> "finalisation-security-status";
      case 0x6A80 -> "finalisation-malformed";
      default -> String.format("finalisation-refused-%04x", statusWord);
    };
  }
}
