package org.ifpp.crypto.finalisation;

import java.util.Objects;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The device maker's order to end production on one chip (GENS13, DMF03/EUICCF03): the chip's EID
 * and a counter that must be greater than the last one the chip accepted, so that a recorded
 * command cannot be played again. Signed with the device-maker key the chip trusts from
 * manufacturing ({@link #sign}); the encoding:
 *
 * <pre>
 * BF7A FinaliseProductionRequest {
 *   BF7C FinaliseProductionData {  -- the signed bytes: this whole TLV
 *     5A  eid      16 bytes BCD
 *     80  counter  INTEGER, 1 .. 2^63-1
 *   }
 *   5F37 deviceMakerSignature  64 bytes r||s, ECDSA P-256 with SHA-256 over the BF7C TLV
 * }
 * </pre>
 *
 * @param eid the one chip this command finalises
 * @param counter at least 1
 */
public record FinalisationCommand(Eid eid, long counter) {

  /** Outer tag: the ES10 command a card carries (STORE DATA, as SGP.22's ES10 functions). */
  public static final int TAG = 0xBF7A;

  static final int TAG_DATA = 0xBF7C;

  public FinalisationCommand {
    Objects.requireNonNull(eid, "eid");
    if (counter < 1) {
      throw new IllegalArgumentException("counter must be at least 1");
    }
  }

  /** The BF7C TLV: the bytes the device maker signs. */
  public byte[] data() {
    return TlvWriter.encodeConstructed(
        TAG_DATA, SignedTlv.eid(eid), SignedTlv.unsigned(SignedTlv.TAG_COUNTER, counter));
  }

  /** Signs with the device-maker key. */
  public SignedFinalisationCommand sign(Signer deviceMaker) {
    byte[] data = data();
    return new SignedFinalisationCommand(this, data, deviceMaker.sign(data));
  }
}
