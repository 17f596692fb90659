package org.ifpp.crypto.pir;

import java.util.Objects;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.signing.EcdsaVerification;

/**
 * A Profile Installation Result with the eUICC's signature (SGP.22 5.5.3, tag BF37): the BF27 data
 * exactly as signed, and euiccSignPIR (tag 5F37, raw {@code r||s}). Made by {@link
 * ProfileInstallationResult#sign} or parsed by {@link PirStructure#check}; immutable.
 */
public final class SignedProfileInstallationResult {

  private final ProfileInstallationResult result;
  private final byte[] data;
  private final byte[] signature;
  private final byte[] encoded;

  private SignedProfileInstallationResult(
      ProfileInstallationResult result, byte[] data, byte[] signature, byte[] encoded) {
    this.result = result;
    this.data = data;
    this.signature = signature;
    this.encoded = encoded;
  }

  static SignedProfileInstallationResult of(
      ProfileInstallationResult result, byte[] data, byte[] signature) {
    Objects.requireNonNull(signature, "signature");
    if (signature.length != 64) {
      throw new IllegalArgumentException("euiccSignPIR must be 64 bytes (r||s)");
    }
    return new SignedProfileInstallationResult(
        result, data.clone(), signature.clone(), PirCodec.encodeSigned(data, signature));
  }

  static SignedProfileInstallationResult parsed(
      ProfileInstallationResult result, byte[] data, byte[] signature, byte[] encoded) {
    return new SignedProfileInstallationResult(result, data, signature, encoded);
  }

  public ProfileInstallationResult result() {
    return result;
  }

  /** The BF27 TLV, the signed bytes. */
  public byte[] data() {
    return data.clone();
  }

  /** euiccSignPIR, 64 bytes. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The complete BF37 TLV. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** True only if euiccSignPIR verifies over the BF27 TLV under {@code euiccKey}. */
  public boolean verify(EcPublicKey euiccKey) {
    return EcdsaVerification.verifyRaw(euiccKey, data, signature);
  }

  @Override
  public String toString() {
    return "SignedProfileInstallationResult[" + result + "]";
  }
}
