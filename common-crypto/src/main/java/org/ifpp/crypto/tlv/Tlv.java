package org.ifpp.crypto.tlv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One BER-TLV data object (ISO/IEC 8825-1 with definite lengths, as used by SGP.22 and SAIP).
 * Immutable: a parsed object is a view on a private copy of the input; accessors return copies.
 *
 * <p>Tags are held as an {@code int} of their encoded bytes, e.g. {@code 0xBF36}, {@code 0x5F49},
 * {@code 0x86}.
 */
public final class Tlv {

  private final byte[] buf;
  private final int start;
  private final int valueOffset;
  private final int valueLength;
  private final int tag;
  private final int depth;
  private final TlvLimits limits;

  Tlv(
      byte[] buf,
      int start,
      int valueOffset,
      int valueLength,
      int tag,
      int depth,
      TlvLimits limits) {
    this.buf = buf;
    this.start = start;
    this.valueOffset = valueOffset;
    this.valueLength = valueLength;
    this.tag = tag;
    this.depth = depth;
    this.limits = limits;
  }

  /** A primitive or constructed object with the given encoded value (copied). */
  public static Tlv of(int tag, byte[] value) {
    byte[] encoded = TlvWriter.encode(tag, value);
    return new Tlv(
        encoded, 0, encoded.length - value.length, value.length, tag, 1, TlvLimits.DEFAULT);
  }

  /** A constructed object whose value is the concatenated encodings of {@code children}. */
  public static Tlv constructed(int tag, List<Tlv> children) {
    byte[][] parts = new byte[children.size()][];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = children.get(i).encoded();
    }
    return of(tag, TlvWriter.concat(parts));
  }

  public static Tlv constructed(int tag, Tlv... children) {
    return constructed(tag, List.of(children));
  }

  public int tag() {
    return tag;
  }

  /** True if bit 6 of the first tag byte is set (the value is a sequence of TLVs). */
  public boolean isConstructed() {
    return TlvWriter.isConstructed(tag);
  }

  /** A copy of the value bytes. */
  public byte[] value() {
    return Arrays.copyOfRange(buf, valueOffset, valueOffset + valueLength);
  }

  public int valueLength() {
    return valueLength;
  }

  /** Length of the tag and length fields. */
  public int headerLength() {
    return valueOffset - start;
  }

  /** A copy of the complete encoding, tag and length included, exactly as read. */
  public byte[] encoded() {
    return Arrays.copyOfRange(buf, start, valueOffset + valueLength);
  }

  public int encodedLength() {
    return valueOffset + valueLength - start;
  }

  /** The header (tag and length) bytes exactly as read. */
  public byte[] header() {
    return Arrays.copyOfRange(buf, start, valueOffset);
  }

  /**
   * Parses the value as a sequence of TLVs, with the limits this object was read under.
   *
   * @throws TlvException if the value is not a well-formed sequence or nests too deep
   */
  public List<Tlv> children() {
    if (valueLength > 0 && depth + 1 > limits.maxDepth()) {
      throw new TlvException(TlvErrorCode.TOO_DEEP, valueOffset, "nesting deeper than limit");
    }
    return TlvReader.readRegion(buf, valueOffset, valueLength, limits, depth + 1);
  }

  /** The first child with {@code childTag}, if any. */
  public Optional<Tlv> child(int childTag) {
    for (Tlv c : children()) {
      if (c.tag == childTag) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** All children with {@code childTag}, in order. */
  public List<Tlv> childrenWithTag(int childTag) {
    List<Tlv> out = new ArrayList<>();
    for (Tlv c : children()) {
      if (c.tag == childTag) {
        out.add(c);
      }
    }
    return out;
  }

  /** Parses every constructed descendant, so that a malformed one fails now. */
  void validateTree() {
    if (isConstructed()) {
      TlvReader.validateConstructed(buf, valueOffset, valueLength, limits, depth);
    }
  }

  /** Tag in upper-case hex, e.g. {@code BF36}. */
  public String tagHex() {
    return HexFormat.of().withUpperCase().formatHex(TlvWriter.tagBytes(tag));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tlv other && Arrays.equals(encoded(), other.encoded());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded());
  }

  /** Tag and length only: values may be secret. */
  @Override
  public String toString() {
    return "Tlv[" + tagHex() + ", " + valueLength + " bytes]";
  }
}
