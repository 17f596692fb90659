package org.ifpp.euicc.finalisation;

import java.util.Base64;
import org.ifpp.crypto.finalisation.FinalisationReceipt;
import org.ifpp.crypto.finalisation.SignedFinalisationReceipt;

/**
 * The chip's answer to an accepted finalisation command: the signed receipt and, for reading, what
 * it says (the receipt is the proof; the other fields are a convenience).
 *
 * @param eid the chip
 * @param counter the command's counter
 * @param oneTimeKeysDeleted unused one-time keys wiped by this command
 * @param ifppLocked IFPP loading is locked
 * @param receipt base64 of the BF7B TLV, signed by the eUICC key
 */
public record FinaliseResponse(
    String eid, long counter, long oneTimeKeysDeleted, boolean ifppLocked, String receipt) {

  static FinaliseResponse of(SignedFinalisationReceipt signed) {
    FinalisationReceipt r = signed.receipt();
    return new FinaliseResponse(
        r.eid().value(),
        r.counter(),
        r.oneTimeKeysDeleted(),
        r.ifppLocked(),
        Base64.getEncoder().encodeToString(signed.encoded()));
  }
}
