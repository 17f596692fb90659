package org.ifpp.crypto.finalisation;

import java.util.List;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.tlv.Tlv;

/**
 * A {@link FinalisationReceipt} with the eUICC's signature, as it travels ({@code BF7B}). Made by
 * {@link FinalisationReceipt#sign} or {@link #parse}; immutable.
 */
public final class SignedFinalisationReceipt {

  private final FinalisationReceipt receipt;
  private final byte[] data;
  private final byte[] signature;

  SignedFinalisationReceipt(FinalisationReceipt receipt, byte[] data, byte[] signature) {
    if (signature.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes (r||s)");
    }
    this.receipt = receipt;
    this.data = data.clone();
    this.signature = signature.clone();
  }

  /**
   * Parses a BF7B TLV strictly (nothing verified yet).
   *
   * @throws MalformedFinalisationException if it is not exactly the documented structure
   */
  public static SignedFinalisationReceipt parse(byte[] bytes) {
    SignedTlv.Parts p =
        SignedTlv.parse(
            bytes,
            FinalisationReceipt.TAG,
            FinalisationReceipt.TAG_DATA,
            SignedTlv.TAG_EID,
            SignedTlv.TAG_COUNTER,
            FinalisationReceipt.TAG_DELETED,
            FinalisationReceipt.TAG_LOCKED);
    List<Tlv> f = p.fields();
    long counter = SignedTlv.unsigned(f.get(1), "counter");
    long deleted = SignedTlv.unsigned(f.get(2), "oneTimeKeysDeleted");
    byte[] locked = f.get(3).value();
    if (counter < 1 || locked.length != 1 || (locked[0] != 0 && locked[0] != (byte) 0xFF)) {
      throw new MalformedFinalisationException("counter >= 1 and ifppLocked one byte FF or 00");
    }
    return new SignedFinalisationReceipt(
        new FinalisationReceipt(SignedTlv.eid(f.get(0)), counter, deleted, locked[0] != 0),
        p.data().encoded(),
        p.signature());
  }

  public FinalisationReceipt receipt() {
    return receipt;
  }

  /** True only if the signature verifies over the BF7D TLV under the eUICC key. */
  public boolean verify(EcPublicKey euiccKey) {
    return EcdsaVerification.verifyRaw(euiccKey, data, signature);
  }

  /** The complete BF7B TLV. */
  public byte[] encoded() {
    return SignedTlv.encode(FinalisationReceipt.TAG, data, signature);
  }

  @Override
  public String toString() {
    return "SignedFinalisationReceipt[" + receipt + "]";
  }
}
