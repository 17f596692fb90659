package org.ifpp.crypto.tlv;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict reader of BER-TLV: definite lengths of 1 to 5 bytes ({@code 81}-{@code 84} prefixes), tags
 * of 1 to 3 bytes, bounded by {@link TlvLimits}. Every malformed input raises {@link TlvException};
 * no other exception escapes for any byte sequence.
 *
 * <p>Non-minimal lengths (e.g. {@code 81 05}) are accepted, as BER allows; they are kept verbatim
 * in {@link Tlv#encoded()}, so MACs computed over received headers stay correct.
 */
public final class TlvReader {

  private TlvReader() {}

  /** Reads exactly one object; bytes after it raise {@link TlvErrorCode#TRAILING_DATA}. */
  public static Tlv readSingle(byte[] data, TlvLimits limits) {
    byte[] copy = checkedCopy(data, limits);
    if (copy.length == 0) {
      throw new TlvException(TlvErrorCode.TRUNCATED, 0, "no data");
    }
    Tlv t = readOne(copy, 0, copy.length, limits, 1);
    if (t.encodedLength() != copy.length) {
      throw new TlvException(
          TlvErrorCode.TRAILING_DATA, t.encodedLength(), "data after the object");
    }
    return t;
  }

  /** Reads a sequence of zero or more top-level objects filling {@code data}. */
  public static List<Tlv> readAll(byte[] data, TlvLimits limits) {
    byte[] copy = checkedCopy(data, limits);
    return readRegion(copy, 0, copy.length, limits, 1);
  }

  /**
   * Reads a sequence of top-level objects and parses every constructed descendant, so that the
   * whole tree is known to be well formed.
   */
  public static List<Tlv> readTree(byte[] data, TlvLimits limits) {
    List<Tlv> all = readAll(data, limits);
    for (Tlv t : all) {
      t.validateTree();
    }
    return all;
  }

  private static byte[] checkedCopy(byte[] data, TlvLimits limits) {
    if (data == null) {
      throw new TlvException(TlvErrorCode.TRUNCATED, 0, "no data");
    }
    if (data.length > limits.maxTotalSize()) {
      throw new TlvException(TlvErrorCode.OVERSIZE, 0, "input larger than limit");
    }
    return data.clone();
  }

  static List<Tlv> readRegion(byte[] buf, int offset, int length, TlvLimits limits, int depth) {
    List<Tlv> out = new ArrayList<>();
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      Tlv t = readOne(buf, pos, end, limits, depth);
      out.add(t);
      pos += t.encodedLength();
    }
    return out;
  }

  private static Tlv readOne(byte[] buf, int start, int end, TlvLimits limits, int depth) {
    int pos = start;
    int first = buf[pos++] & 0xFF;
    if (first == 0x00 || first == 0xFF) {
      throw new TlvException(TlvErrorCode.BAD_TAG, start, "tag byte 00 or FF");
    }
    int tag = first;
    if ((first & 0x1F) == 0x1F) {
      int count = 0;
      int b;
      do {
        if (pos >= end) {
          throw new TlvException(TlvErrorCode.TRUNCATED, pos, "input ends inside a tag");
        }
        b = buf[pos++] & 0xFF;
        count++;
        if (count == 1 && (b == 0x80 || b < 0x1F)) {
          throw new TlvException(TlvErrorCode.BAD_TAG, start, "non-minimal multi-byte tag");
        }
        if (count > 2) {
          throw new TlvException(TlvErrorCode.BAD_TAG, start, "tag longer than 3 bytes");
        }
        tag = (tag << 8) | b;
      } while ((b & 0x80) != 0);
    }
    if (pos >= end) {
      throw new TlvException(TlvErrorCode.TRUNCATED, pos, "input ends before the length");
    }
    int lenByte = buf[pos++] & 0xFF;
    long len;
    if (lenByte < 0x80) {
      len = lenByte;
    } else if (lenByte == 0x80) {
      throw new TlvException(TlvErrorCode.INDEFINITE_LENGTH, pos - 1, "indefinite length");
    } else {
      int n = lenByte & 0x7F;
      if (n > 4) {
        throw new TlvException(TlvErrorCode.LENGTH_OVERFLOW, pos - 1, "length field too long");
      }
      if (end - pos < n) {
        throw new TlvException(TlvErrorCode.TRUNCATED, pos, "input ends inside a length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (buf[pos++] & 0xFF);
      }
      if (len > Integer.MAX_VALUE) {
        throw new TlvException(TlvErrorCode.LENGTH_OVERFLOW, start, "length above 2^31-1");
      }
    }
    if (len > limits.maxValueLength()) {
      throw new TlvException(TlvErrorCode.OVERSIZE, start, "value larger than limit");
    }
    if (len > end - pos) {
      throw new TlvException(TlvErrorCode.TRUNCATED, pos, "value runs past the end of input");
    }
    return new Tlv(buf, start, pos, (int) len, tag, depth, limits);
  }
}
