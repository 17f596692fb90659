package org.ifpp.euicc.loading.internal;

/**
 * The tag and length at the start of a BER-TLV (tags up to 3 bytes, definite lengths up to 4
 * bytes). Only framing for the ES10b segment assembler: decoding the package itself is
 * common-crypto's job.
 *
 * @param tag the tag, its bytes as a big-endian number (e.g. 0xBF36)
 * @param headerLength bytes of tag plus length
 * @param valueLength the declared value length
 */
public record TlvHeader(int tag, int headerLength, int valueLength) {

  /** Total length of the TLV this header opens. */
  public long totalLength() {
    return (long) headerLength + valueLength;
  }

  /**
   * Reads the header at {@code offset}.
   *
   * @throws IllegalArgumentException if the bytes do not hold a complete, well-formed header
   */
  public static TlvHeader read(byte[] data, int offset) {
    int i = offset;
    if (i >= data.length) {
      throw new IllegalArgumentException("empty segment");
    }
    int tag = data[i++] & 0xFF;
    if ((tag & 0x1F) == 0x1F) {
      int more = 0;
      do {
        if (i >= data.length || ++more > 2) {
          throw new IllegalArgumentException("tag too long or truncated");
        }
        tag = (tag << 8) | (data[i] & 0xFF);
      } while ((data[i++] & 0x80) != 0);
    }
    if (i >= data.length) {
      throw new IllegalArgumentException("length missing");
    }
    int first = data[i++] & 0xFF;
    long length;
    if (first < 0x80) {
      length = first;
    } else if (first == 0x80 || first > 0x84) {
      throw new IllegalArgumentException("indefinite or oversized length form");
    } else {
      int n = first & 0x7F;
      if (i + n > data.length) {
        throw new IllegalArgumentException("length truncated");
      }
      length = 0;
      for (int k = 0; k < n; k++) {
        length = (length << 8) | (data[i++] & 0xFF);
      }
      if (length > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("length too large");
      }
    }
    return new TlvHeader(tag, i - offset, (int) length);
  }
}
