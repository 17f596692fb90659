package org.ifpp.crypto.finalisation;

import java.util.List;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.EcdsaVerification;
import org.ifpp.crypto.tlv.Tlv;

/**
 * A {@link FinalisationCommand} with the device maker's signature, as it travels ({@code BF7A}).
 * Made by {@link FinalisationCommand#sign} or {@link #parse}; immutable.
 */
public final class SignedFinalisationCommand {

  private final FinalisationCommand command;
  private final byte[] data;
  private final byte[] signature;

  SignedFinalisationCommand(FinalisationCommand command, byte[] data, byte[] signature) {
    if (signature.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes (r||s)");
    }
    this.command = command;
    this.data = data.clone();
    this.signature = signature.clone();
  }

  /**
   * Parses a BF7A TLV strictly (nothing verified yet).
   *
   * @throws MalformedFinalisationException if it is not exactly the documented structure
   */
  public static SignedFinalisationCommand parse(byte[] bytes) {
    SignedTlv.Parts p =
        SignedTlv.parse(
            bytes,
            FinalisationCommand.TAG,
            FinalisationCommand.TAG_DATA,
            SignedTlv.TAG_EID,
            SignedTlv.TAG_COUNTER);
    List<Tlv> f = p.fields();
    long counter = SignedTlv.unsigned(f.get(1), "counter");
    if (counter < 1) {
      throw new MalformedFinalisationException("counter must be at least 1");
    }
    return new SignedFinalisationCommand(
        new FinalisationCommand(SignedTlv.eid(f.get(0)), counter),
        p.data().encoded(),
        p.signature());
  }

  public FinalisationCommand command() {
    return command;
  }

  /** True only if the signature verifies over the BF7C TLV under {@code deviceMakerKey}. */
  public boolean verify(EcPublicKey deviceMakerKey) {
    return EcdsaVerification.verifyRaw(deviceMakerKey, data, signature);
  }

  /** The complete BF7A TLV. */
  public byte[] encoded() {
    return SignedTlv.encode(FinalisationCommand.TAG, data, signature);
  }

  @Override
  public String toString() {
    return "SignedFinalisationCommand[" + command + "]";
  }
}
