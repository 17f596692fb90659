package org.ifpp.euicc.card;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvWriter;

/** DER building blocks of the ES10 answers (ITU-T X.690) beside common-crypto's TLV writer. */
final class Ber {

  private Ber() {}

  /** {@code tag} with the DER INTEGER content of {@code value}. */
  static byte[] integer(int tag, long value) {
    return TlvWriter.encode(tag, BigInteger.valueOf(value).toByteArray());
  }

  /** {@code tag} with a UTF8String content. */
  static byte[] utf8(int tag, String value) {
    return TlvWriter.encode(tag, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code tag} with the DER content of a named-bit BIT STRING holding exactly these bits (X.690
   * 11.2.2: trailing zero bits removed, the unused-bits count first).
   */
  static byte[] namedBits(int tag, int... bits) {
    int highest = -1;
    for (int b : bits) {
      highest = Math.max(highest, b);
    }
    if (highest < 0) {
      return TlvWriter.encode(tag, new byte[] {0});
    }
    int octets = highest / 8 + 1;
    byte[] content = new byte[1 + octets];
    content[0] = (byte) (octets * 8 - 1 - highest);
    for (int b : bits) {
      content[1 + b / 8] |= (byte) (0x80 >>> (b % 8));
    }
    return TlvWriter.encode(tag, content);
  }

  /** Whether a BIT STRING's content has bit {@code n} set. */
  static boolean bitSet(byte[] bitStringContent, int n) {
    int octet = 1 + n / 8;
    return bitStringContent.length > octet && (bitStringContent[octet] & (0x80 >>> (n % 8))) != 0;
  }

  /**
   * The value of an INTEGER TLV of at most 8 bytes.
   *
   * @throws IllegalArgumentException if empty or too long
   */
  static long intValue(Tlv t) {
    byte[] v = t.value();
    if (v.length == 0 || v.length > 8) {
      throw new IllegalArgumentException("INTEGER of " + v.length + " bytes");
    }
    return new BigInteger(v).longValue();
  }

  /**
   * The tag at the start of {@code data} (1 to 3 bytes), or -1 if the bytes do not start with one.
   */
  static int peekTag(byte[] data) {
    if (data.length == 0) {
      return -1;
    }
    int tag = data[0] & 0xFF;
    if ((tag & 0x1F) != 0x1F) {
      return tag;
    }
    for (int i = 1; i < 3; i++) {
      if (data.length <= i) {
        return -1;
      }
      tag = tag << 8 | (data[i] & 0xFF);
      if ((data[i] & 0x80) == 0) {
        return tag;
      }
    }
    return -1;
  }
}
