package org.ifpp.crypto.bsp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.crypto.ids.HostId;
import org.ifpp.crypto.provider.CryptoProviders;
import org.ifpp.crypto.secret.SecretAccess;
import org.ifpp.crypto.secret.SecretBytes;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * The BSP key derivation of SGP.22 section 2.6.4.2 (IFPP.md section 5): ANSI X9.63 KDF with SHA-256
 * over Z and {@code SharedInfo = 88 || 10 || L(hostId) || hostId || L(EID) || EID}, 48 bytes of key
 * data split into initial MAC chaining value (0-15), S-ENC (16-31) and S-MAC (32-47).
 */
public final class BspKdf {

  /** keyType of the CRT (A6/80): AES. */
  public static final int KEY_TYPE_AES = 0x88;

  /** keyLength of the CRT (A6/81): 16 bytes. */
  public static final int KEY_LENGTH = 0x10;

  private BspKdf() {}

  /** Derives the session keys for a validated EID. */
  public static SessionKeys derive(SecretBytes z, HostId hostId, Eid eid) {
    return derive(z, hostId, eid.toBytes());
  }

  /**
   * Derives the session keys from raw EID bytes (16 bytes, as they appear in SharedInfo; check
   * digits are not this function's concern).
   *
   * @return the key set; the caller must close it
   */
  public static SessionKeys derive(SecretBytes z, HostId hostId, byte[] eid) {
    Objects.requireNonNull(z, "z");
    Objects.requireNonNull(hostId, "hostId");
    if (eid == null || eid.length != 16) {
      throw new IllegalArgumentException("EID must be 16 bytes");
    }
    byte[] host = hostId.toBytes();
    byte[] sharedInfo =
        TlvWriter.concat(
            new byte[] {(byte) KEY_TYPE_AES, (byte) KEY_LENGTH},
            TlvWriter.lengthBytes(host.length),
            host,
            TlvWriter.lengthBytes(eid.length),
            eid);
    byte[] keyData = x963Sha256(z, sharedInfo, 48);
    try {
      return SessionKeys.of(
          SecretBytes.copyOf(keyData, 0, 16),
          SecretBytes.copyOf(keyData, 16, 16),
          SecretBytes.copyOf(keyData, 32, 16));
    } finally {
      Arrays.fill(keyData, (byte) 0);
    }
  }

  /** ANSI X9.63 KDF: concatenation of SHA-256(Z || counter32 || sharedInfo), counter from 1. */
  static byte[] x963Sha256(SecretBytes z, byte[] sharedInfo, int length) {
    MessageDigest md = CryptoProviders.sha256();
    byte[] out = new byte[(length + 31) / 32 * 32];
    byte[] zb = z.unsafeView(SecretAccess.GRANTED);
    try {
      for (int counter = 1, pos = 0; pos < length; counter++, pos += 32) {
        md.update(zb);
        md.update(new byte[] {0, 0, 0, (byte) counter});
        md.update(sharedInfo);
        md.digest(out, pos, 32);
      }
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 failed", e);
    }
    if (out.length == length) {
      return out;
    }
    byte[] trimmed = Arrays.copyOf(out, length);
    Arrays.fill(out, (byte) 0);
    return trimmed;
  }
}
