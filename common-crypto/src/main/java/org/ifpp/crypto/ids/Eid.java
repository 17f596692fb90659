package org.ifpp.crypto.ids;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * eUICC identifier (SGP.02/SGP.22 EID): 32 decimal digits whose value mod 97 is 1 (ISO/IEC 7064 MOD
 * 97-10 check digits in the last two positions). On the wire it is 16 bytes, the digits packed as
 * BCD in reading order (not nibble-swapped, unlike the ICCID).
 *
 * @param value the 32 digits
 */
public record Eid(String value) {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{32}");
  private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

  /**
   * @throws IllegalArgumentException if the value is not 32 digits or its check digits are wrong
   */
  public Eid {
    String wrong = wrong(value);
    if (wrong != null) {
      throw new IllegalArgumentException(wrong);
    }
  }

  /** What makes {@code value} no EID, or null when it is one. */
  private static String wrong(String value) {
    if (value == null || !DIGITS.matcher(value).matches()) {
      return "EID must be 32 decimal digits";
    }
    if (!new BigInteger(value).mod(NINETY_SEVEN).equals(BigInteger.ONE)) {
      return "EID check digits are invalid";
    }
    return null;
  }

  /** Parses an EID from its text form, ignoring surrounding whitespace. */
  public static Eid of(String text) {
    return new Eid(text == null ? null : text.strip());
  }

  /**
   * The EID that {@code text} is, or empty when it is none (not 32 digits, wrong check digits): for
   * names found on disk that may belong to something else, where a non-EID is no error.
   */
  public static Optional<Eid> tryParse(String text) {
    return wrong(text) == null ? Optional.of(new Eid(text)) : Optional.empty();
  }

  /** Decodes the 16-byte BCD form. */
  public static Eid fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 16) {
      throw new IllegalArgumentException("EID must be 16 bytes");
    }
    return new Eid(HexFormat.of().formatHex(bytes));
  }

  /**
   * Builds a valid EID from its first 30 digits by computing the two check digits (what an EUM does
   * when it numbers a chip).
   */
  public static Eid withCheckDigits(String first30Digits) {
    if (first30Digits == null || !first30Digits.matches("[0-9]{30}")) {
      throw new IllegalArgumentException("EID prefix must be 30 decimal digits");
    }
    int remainder = new BigInteger(first30Digits + "00").mod(NINETY_SEVEN).intValue();
    int check = 98 - remainder;
    return new Eid(first30Digits + String.format("%02d", check));
  }

  /** The 16-byte BCD form used in SharedInfo and in tag 5A. */
  public byte[] toBytes() {
    return HexFormat.of().parseHex(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
