package org.ifpp.keymaker.profiles;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.ifpp.crypto.bpp.ProfileProtectionKeys;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * The PPKs as the 48 bytes that are stored encrypted: PPK-ENC || PPK-MAC || initial MAC chaining
 * value, and the two stored forms ({@link #FORMAT_KEK}, {@link #FORMAT_DATA_KEY}). The encryption's
 * additional data names the owning profile, so encrypted PPKs cannot be moved to another profile
 * row.
 */
public final class PpkCodec {

  /** PPKs wrapped directly by the KEK, AAD {@link #aad(String)} (profiles imported before V3). */
  public static final short FORMAT_KEK = 1;

  /** PPKs sealed under a KEK-wrapped data key, AAD {@link #aad(String, UUID)}. */
  public static final short FORMAT_DATA_KEY = 2;

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

  /**
   * The AAD of a profile's PPKs sealed under a data key: names the profile (its ICCID, unique and
   * never changed) and the data key, so a blob cannot be moved to another profile row or key.
   */
  public static byte[] aad(String iccid, UUID dataKeyId) {
    return ("ifpp-ppk/2:" + iccid + ":" + dataKeyId).getBytes(StandardCharsets.US_ASCII);
  }

  /** The AAD of a profile's PPKs wrapped directly by the KEK (format 1). */
  public static byte[] aad(String iccid) {
    return ("ifpp-ppk:" + iccid).getBytes(StandardCharsets.US_ASCII);
  }
}
