package org.ifpp.keymaker.profiles;

import java.nio.charset.StandardCharsets;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * The PPKs as the 48 bytes wrapped by the KEK: PPK-ENC || PPK-MAC || initial MAC chaining value.
 * The wrap's additional data names the owning profile, so wrapped PPKs cannot be moved to another
 * profile row.
 */
public final class PpkCodec {

  private PpkCodec() {}

  /** The 48 packed bytes (close the result). */
  public static SecretBytes pack(ProfileProtectionKeys ppks) {
    byte[] out = new byte[48];
    System.arraycopy(ppks.ppkEnc().unsafeView(SecretAccess.GRANTED), 0, out, 0, 16);
    System.arraycopy(ppks.ppkMac().unsafeView(SecretAccess.GRANTED), 0, out, 16, 16);
    System.arraycopy(
        ppks.initialMacChainingValue().unsafeView(SecretAccess.GRANTED), 0, out, 32, 16);
    return SecretBytes.adopt(out);
  }

  /** Rebuilds the PPKs from the 48 packed bytes (the result owns copies; close both). */
  public static ProfileProtectionKeys unpack(SecretBytes packed) {
    byte[] b = packed.unsafeView(SecretAccess.GRANTED);
    if (b.length != 48) {
      throw new IllegalArgumentException("packed PPKs must be 48 bytes");
    }
    return ProfileProtectionKeys.restore(
        SecretBytes.copyOf(b, 0, 16), SecretBytes.copyOf(b, 16, 16), SecretBytes.copyOf(b, 32, 16));
  }

  /** The AAD of a profile's wrapped PPKs. */
  public static byte[] aad(String iccid) {
    return ("ifpp-ppk:" + iccid).getBytes(StandardCharsets.US_ASCII);
  }
}
