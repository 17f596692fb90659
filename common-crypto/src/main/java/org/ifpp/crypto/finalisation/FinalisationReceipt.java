package org.ifpp.crypto.finalisation;

import java.util.Objects;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.signing.Signer;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The chip's proof that it obeyed a {@link FinalisationCommand} (DMF03/EUICCF03, GENS13): its EID,
 * how many unused one-time keys it deleted, that IFPP loading is now locked, and the command's
 * counter. Signed with the eUICC key (SK.EUICC.ECDSA, as a Profile Installation Result), so anyone
 * holding CERT.EUICC can check it; the encoding:
 *
 * <pre>
 * BF7B FinaliseProductionReceipt {
 *   BF7D FinaliseProductionReceiptData {  -- the signed bytes: this whole TLV
 *     5A  eid                 16 bytes BCD
 *     80  counter             INTEGER, the accepted command's
 *     81  oneTimeKeysDeleted  INTEGER, 0 .. 2^63-1
 *     82  ifppLocked          BOOLEAN (one byte, FF true, 00 false)
 *   }
 *   5F37 euiccSignature  64 bytes r||s, ECDSA with SHA-256 over the BF7D TLV
 * }
 * </pre>
 *
 * @param eid the chip
 * @param counter the counter of the command it obeyed
 * @param oneTimeKeysDeleted unused one-time keys wiped by this command
 * @param ifppLocked IFPP loading is locked
 */
public record FinalisationReceipt(
    Eid eid, long counter, long oneTimeKeysDeleted, boolean ifppLocked) {

  public static final int TAG = 0xBF7B;
  static final int TAG_DATA = 0xBF7D;
  static final int TAG_DELETED = 0x81;
  static final int TAG_LOCKED = 0x82;

  public FinalisationReceipt {
    Objects.requireNonNull(eid, "eid");
    if (counter < 1 || oneTimeKeysDeleted < 0) {
      throw new IllegalArgumentException("counter >= 1, oneTimeKeysDeleted >= 0");
    }
  }

  /** The BF7D TLV: the bytes the chip signs. */
  public byte[] data() {
    return TlvWriter.encodeConstructed(
        TAG_DATA,
        SignedTlv.eid(eid),
        SignedTlv.unsigned(SignedTlv.TAG_COUNTER, counter),
        SignedTlv.unsigned(TAG_DELETED, oneTimeKeysDeleted),
        TlvWriter.encode(TAG_LOCKED, new byte[] {ifppLocked ? (byte) 0xFF : 0}));
  }

  /** Signs with the eUICC key. */
  public SignedFinalisationReceipt sign(Signer euicc) {
    byte[] data = data();
    return new SignedFinalisationReceipt(this, data, euicc.sign(data));
  }
}
