package org.ifpp.crypto.tlv;

/**
 * Encodes BER-TLV: {@code tag || length || value} with the minimal definite length (DER style), as
 * SGP.22 requires on the wire.
 */
public final class TlvWriter {

  private TlvWriter() {}

  /** The encoded bytes of {@code tag} (1 to 3 bytes, e.g. {@code 0xBF36} gives {@code BF 36}). */
  public static byte[] tagBytes(int tag) {
    if (tag <= 0 || tag > 0xFFFFFF) {
      throw new IllegalArgumentException("tag out of range");
    }
    if (tag <= 0xFF) {
      return new byte[] {(byte) tag};
    }
    if (tag <= 0xFFFF) {
      return new byte[] {(byte) (tag >> 8), (byte) tag};
    }
    return new byte[] {(byte) (tag >> 16), (byte) (tag >> 8), (byte) tag};
  }

  /** True if the first byte of {@code tag} has the constructed bit (0x20). */
  public static boolean isConstructed(int tag) {
    int first = tag > 0xFFFF ? tag >> 16 : tag > 0xFF ? tag >> 8 : tag;
    return (first & 0x20) != 0;
  }

  /** The minimal BER length field for {@code length}. */
  public static byte[] lengthBytes(int length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length");
    }
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length <= 0xFF) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length <= 0xFFFF) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    if (length <= 0xFFFFFF) {
      return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }
    return new byte[] {
      (byte) 0x84, (byte) (length >> 24), (byte) (length >> 16), (byte) (length >> 8), (byte) length
    };
  }

  /** {@code tag || length(value) || value}. */
  public static byte[] encode(int tag, byte[] value) {
    return concat(tagBytes(tag), lengthBytes(value.length), value);
  }

  /** {@code tag || length || concatenation of the already encoded children}. */
  public static byte[] encodeConstructed(int tag, byte[]... encodedChildren) {
    int n = 0;
    for (byte[] c : encodedChildren) {
      n = Math.addExact(n, c.length);
    }
    // One copy of the children, straight after the header (not concatenated first, then copied).
    byte[][] parts = new byte[encodedChildren.length + 2][];
    parts[0] = tagBytes(tag);
    parts[1] = lengthBytes(n);
    System.arraycopy(encodedChildren, 0, parts, 2, encodedChildren.length);
    return concat(parts);
  }

  /** Concatenates arrays. */
  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n = Math.addExact(n, p.length);
    }
    byte[] out = new byte[n];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }
}
