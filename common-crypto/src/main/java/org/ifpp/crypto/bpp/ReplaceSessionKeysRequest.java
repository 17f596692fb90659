package org.ifpp.crypto.bpp;

import java.util.Arrays;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * ReplaceSessionKeysRequest ({@code BF26}, SGP.22 section 5.5.4): {@code 80 10 initialMacChaining
 * Value, 81 10 ppkEnc, 82 10 ppkCmac}. Travels encrypted in A2; its plaintext is secret, so this
 * class only converts between the PPKs and transient byte arrays the caller wipes.
 */
final class ReplaceSessionKeysRequest {

  static final int TAG = 0xBF26;

  private ReplaceSessionKeysRequest() {}

  /** The plaintext {@code BF26}; the caller wipes it after encryption. */
  static byte[] encode(ProfileProtectionKeys ppks) {
    byte[] mcv = ppks.initialMacChainingValue().unsafeView(SecretAccess.GRANTED);
    byte[] enc = ppks.ppkEnc().unsafeView(SecretAccess.GRANTED);
    byte[] mac = ppks.ppkMac().unsafeView(SecretAccess.GRANTED);
    return TlvWriter.encode(
        TAG,
        TlvWriter.concat(
            TlvWriter.encode(0x80, mcv), TlvWriter.encode(0x81, enc), TlvWriter.encode(0x82, mac)));
  }

  /**
   * Parses a decrypted {@code BF26} in its only DER form, {@code BF26 36 80 10 .. 81 10 .. 82 10
   * ..}, without copying it through the TLV reader (no stray copy of the PPKs); wipes {@code
   * plain}.
   */
  static ProfileProtectionKeys decode(byte[] plain) throws ProfilePackageException {
    try {
      if (plain.length != 57
          || (plain[0] & 0xFF) != 0xBF
          || plain[1] != 0x26
          || plain[2] != 0x36
          || !field(plain, 3, 0x80)
          || !field(plain, 21, 0x81)
          || !field(plain, 39, 0x82)) {
        throw new ProfilePackageException(
            ProfilePackageException.Code.INVALID_STRUCTURE,
            "BF26 must hold 80, 81, 82 of 16 bytes");
      }
      return ProfileProtectionKeys.restore(
          SecretBytes.copyOf(plain, 23, 16),
          SecretBytes.copyOf(plain, 41, 16),
          SecretBytes.copyOf(plain, 5, 16));
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static boolean field(byte[] b, int at, int tag) {
    return (b[at] & 0xFF) == tag && b[at + 1] == 0x10;
  }
}
