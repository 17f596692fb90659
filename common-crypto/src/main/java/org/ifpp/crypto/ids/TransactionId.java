package org.ifpp.crypto.ids;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SGP.22 transactionId (tag 80 in BF23 and in the Profile Installation Result): 1 to 16 bytes;
 * the Key Maker draws 16 random bytes per binding (IFPP.md section 5).
 */
public final class TransactionId {

  private final byte[] bytes;

  private TransactionId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * @throws IllegalArgumentException unless 1 to 16 bytes
   */
  public static TransactionId of(byte[] bytes) {
    if (bytes == null || bytes.length < 1 || bytes.length > 16) {
      throw new IllegalArgumentException("transactionId must be 1 to 16 bytes");
    }
    return new TransactionId(bytes.clone());
  }

  public static TransactionId fromHex(String hex) {
    try {
      return of(HexFormat.of().parseHex(hex == null ? "" : hex.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("transactionId must be 1 to 16 bytes of hex", e);
    }
  }

  public static TransactionId random(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return new TransactionId(b);
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
