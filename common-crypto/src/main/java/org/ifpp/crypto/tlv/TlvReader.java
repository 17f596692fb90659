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
    return readSingleOwned(checkedCopy(data, limits), limits);
  }

  /**
   * As {@link #readSingle}, on {@code data} itself instead of a copy: for a caller that made the
   * array and hands it over (it must not change it afterwards, or the object read changes too).
   */
  public static Tlv readSingleOwned(byte[] data, TlvLimits limits) {
    checkedSize(data, limits);
    if (data.length == 0) {
      throw new TlvException(TlvErrorCode.TRUNCATED, 0, "no data");
    }
    Tlv t = readOne(data, 0, data.length, limits, 1);
    if (t.encodedLength() != data.length) {
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

  /**
   * Like {@link #readTree}, but without the defensive copy: the returned objects view {@code data}
   * itself. For secret buffers (plain profiles) that must exist only once in memory, so wiping the
   * buffer wipes everything; the caller must not modify {@code data} while it uses the objects.
   */
  public static List<Tlv> readTreeInPlace(byte[] data, TlvLimits limits) {
    if (data == null) {
      throw new TlvException(TlvErrorCode.TRUNCATED, 0, "no data");
    }
    if (data.length > limits.maxTotalSize()) {
      throw new TlvException(TlvErrorCode.OVERSIZE, 0, "input larger than limit");
    }
    List<Tlv> all = readRegion(data, 0, data.length, limits, 1);
    for (Tlv t : all) {
      t.validateTree();
    }
    return all;
  }

  private static byte[] checkedCopy(byte[] data, TlvLimits limits) {
    return checkedSize(data, limits).clone();
  }

  private static byte[] checkedSize(byte[] data, TlvLimits limits) {
    if (data == null) {
      throw new TlvException(TlvErrorCode.TRUNCATED, 0, "no data");
    }
    if (data.length > limits.maxTotalSize()) {
      throw new TlvException(TlvErrorCode.OVERSIZE, 0, "input larger than limit");
    }
    return data;
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

  /**
   * For a constructed object at {@code depth} whose value is {@code buf[valueOffset,
   * valueOffset+valueLength)}: what {@link Tlv#children()} followed by validateTree on every child
   * does, in the same order (this level first, then each constructed child's content), without
   * creating objects or lists.
   */
  static void validateConstructed(
      byte[] buf, int valueOffset, int valueLength, TlvLimits limits, int depth) {
    if (valueLength > 0 && depth + 1 > limits.maxDepth()) {
      throw new TlvException(TlvErrorCode.TOO_DEEP, valueOffset, "nesting deeper than limit");
    }
    int end = valueOffset + valueLength;
    int pos = valueOffset;
    while (pos < end) {
      long h = parseHeader(buf, pos, end, limits);
      pos = (int) (h >>> 32) + (int) h;
    }
    pos = valueOffset;
    while (pos < end) {
      long h = parseHeader(buf, pos, end, limits);
      int childValue = (int) (h >>> 32);
      if ((buf[pos] & 0x20) != 0) {
        validateConstructed(buf, childValue, (int) h, limits, depth + 1);
      }
      pos = childValue + (int) h;
    }
  }

  private static Tlv readOne(byte[] buf, int start, int end, TlvLimits limits, int depth) {
    long header = parseHeader(buf, start, end, limits);
    int valueOffset = (int) (header >>> 32);
    int tag = buf[start] & 0xFF;
    if ((tag & 0x1F) == 0x1F) {
      // Already checked by parseHeader: one or two more tag bytes.
      int pos = start + 1;
      int b;
      do {
        b = buf[pos++] & 0xFF;
        tag = (tag << 8) | b;
      } while ((b & 0x80) != 0);
    }
    return new Tlv(buf, start, valueOffset, (int) header, tag, depth, limits);
  }

  /**
   * Checks one object's header at {@code start} against {@code end} and the limits (the checks of
   * {@link #readOne}); returns its value offset in the high and its value length in the low 32
   * bits.
   */
  private static long parseHeader(byte[] buf, int start, int end, TlvLimits limits) {
    int pos = start;
    int first = buf[pos++] & 0xFF;
    if (first == 0x00 || first == 0xFF) {
      throw new TlvException(TlvErrorCode.BAD_TAG, start, "tag byte 00 or FF");
    }
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
    return ((long) pos << 32) | len;
  }
}
