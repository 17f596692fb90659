package org.ifpp.line.chip;

import org.ifpp.crypto.ids.Iccid;

/**
 * What a chip answered to a package: its signed Profile Installation Result (BF37 DER, the bytes
 * the line reports to the broker) and the summary it gave alongside.
 *
 * @param installed true when the chip says the profile is installed
 * @param reason the chip's error reason when not installed, or null
 * @param iccid the installed (or attempted) ICCID, when given (and valid: the signed result, not
 *     this summary, is what counts)
 * @param pir the signed result, or an empty array when the chip refused before signing
 */
public record LoadOutcome(boolean installed, String reason, Iccid iccid, byte[] pir) {

  public boolean hasSignedResult() {
    return pir != null && pir.length > 0;
  }
}
