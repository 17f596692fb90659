package org.ifpp.crypto.bsp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;

/**
 * AES-CMAC (NIST SP 800-38B, RFC 4493) computed on the JDK's hardware-accelerated {@code
 * AES/CBC/NoPadding}: CMAC is a CBC-MAC whose last block is tweaked with subkey K1 or K2, so one
 * CBC pass over a copy of the message gives the tag. No JCA {@code Mac} for CMAC exists in the JDK.
 *
 * <p>Not thread-safe: one instance per key per thread (uses the per-thread cipher).
 */
public final class AesCmac {

  private static final IvParameterSpec ZERO_IV = new IvParameterSpec(new byte[16]);

  private final SecretKeySpec key;
  private final byte[] k1;
  private final byte[] k2;

  /** Prepares the subkeys for a 16-byte AES key. */
  public AesCmac(SecretBytes key) {
    if (key.size() != 16) {
      throw new IllegalArgumentException("AES-CMAC key must be 16 bytes");
    }
    this.key = new SecretKeySpec(key.unsafeView(SecretAccess.GRANTED), "AES");
    byte[] l = new byte[16];
    try {
      // L = AES(K, 0^128): CBC with a zero IV over one block is ECB, and on the MAC's own cipher
      // the key is expanded once for the subkeys and every tag after them.
      Cipher cbc = CryptoProviders.aesCbcForMac();
      cbc.init(Cipher.ENCRYPT_MODE, this.key, ZERO_IV);
      l = cbc.doFinal(l);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
    this.k1 = dbl(l);
    this.k2 = dbl(k1);
    Arrays.fill(l, (byte) 0);
  }

  private static byte[] dbl(byte[] in) {
    byte[] out = new byte[16];
    int carry = 0;
    for (int i = 15; i >= 0; i--) {
      int b = in[i] & 0xFF;
      out[i] = (byte) ((b << 1) | carry);
      carry = b >>> 7;
    }
    if ((in[0] & 0x80) != 0) {
      out[15] ^= (byte) 0x87;
    }
    return out;
  }

  /** The 16-byte CMAC of {@code msg[off, off+len)}. */
  public byte[] mac(byte[] msg, int off, int len) {
    int blocks = Math.max(1, (len + 15) / 16);
    boolean complete = len > 0 && len % 16 == 0;
    byte[] buf = new byte[blocks * 16];
    System.arraycopy(msg, off, buf, 0, len);
    int last = (blocks - 1) * 16;
    if (!complete) {
      buf[len] = (byte) 0x80;
    }
    byte[] sub = complete ? k1 : k2;
    for (int i = 0; i < 16; i++) {
      buf[last + i] ^= sub[i];
    }
    try {
      Cipher cbc = CryptoProviders.aesCbcForMac();
      cbc.init(Cipher.ENCRYPT_MODE, key, ZERO_IV);
      cbc.doFinal(buf, 0, buf.length, buf, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES failed", e);
    }
    return Arrays.copyOfRange(buf, last, last + 16);
  }

  public byte[] mac(byte[] msg) {
    return mac(msg, 0, msg.length);
  }

  /** Wipes the subkeys (the JDK's key spec cannot be wiped; it becomes garbage). */
  void wipe() {
    Arrays.fill(k1, (byte) 0);
    Arrays.fill(k2, (byte) 0);
  }
}
