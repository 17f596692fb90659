package org.ifpp.crypto.ids;

import java.util.regex.Pattern;

/**
 * Integrated Circuit Card Identifier (ITU-T E.118), 18 to 20 digits. On the wire (SGP.22 tag 5A in
 * ProfileInfo and StoreMetadataRequest, and in the SAIP ProfileHeader) it is 10 bytes of
 * nibble-swapped BCD padded with F.
 *
 * <p>The Luhn digit is not enforced: published test profiles carry ICCIDs that do not all pass it,
 * and the Key Maker must import what an operator hands it.
 *
 * @param value the digits, without padding
 */
public record Iccid(String value) {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{18,20}");

  /**
   * @throws IllegalArgumentException if the value is not 18 to 20 digits
   */
  public Iccid {
    if (value == null || !DIGITS.matcher(value).matches()) {
      throw new IllegalArgumentException("ICCID must be 18 to 20 decimal digits");
    }
  }

  public static Iccid of(String text) {
    return new Iccid(text == null ? null : text.strip());
  }

  /** Decodes the 10-byte nibble-swapped BCD form (F padding allowed at the end). */
  public static Iccid fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 10) {
      throw new IllegalArgumentException("ICCID must be 10 bytes");
    }
    StringBuilder digits = new StringBuilder(20);
    boolean padding = false;
    for (byte b : bytes) {
      for (int nibble : new int[] {b & 0x0F, (b >> 4) & 0x0F}) {
        if (nibble == 0x0F) {
          padding = true;
        } else if (padding || nibble > 9) {
          throw new IllegalArgumentException("ICCID is not valid BCD");
        } else {
          digits.append((char) ('0' + nibble));
        }
      }
    }
    return new Iccid(digits.toString());
  }

  /** The 10-byte nibble-swapped BCD form, padded with F. */
  public byte[] toBytes() {
    byte[] out = new byte[10];
    for (int i = 0; i < 20; i++) {
      int nibble = i < value.length() ? value.charAt(i) - '0' : 0x0F;
      if (i % 2 == 0) {
        out[i / 2] = (byte) nibble;
      } else {
        out[i / 2] |= (byte) (nibble << 4);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return value;
  }
}
