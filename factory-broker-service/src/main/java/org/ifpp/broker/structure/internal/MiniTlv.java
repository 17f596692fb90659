package org.ifpp.broker.structure.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal strict BER-TLV reader (definite lengths, tags up to 3 bytes) used only until
 * common-crypto's {@code org.ifpp.crypto.tlv} reader is on main. Every malformed input raises
 * {@link Malformed}; nothing else escapes.
 */
public final class MiniTlv {

  private static final int MAX_DEPTH = 16;

  /** One object: the tag as an int of its bytes, and where its value lies in the input. */
  public record Node(int tag, boolean constructed, int valueOffset, int valueLength) {}

  /** Why the input was refused (a fixed message, never input bytes). */
  public static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private MiniTlv() {}

  /** Reads exactly one object covering all of {@code data}, checking every nested object. */
  public static Node readSingle(byte[] data) {
    List<Node> nodes = readAll(data, 0, data.length, 0);
    if (nodes.size() != 1) {
      throw new Malformed(nodes.isEmpty() ? "empty input" : "trailing data");
    }
    return nodes.get(0);
  }

  /** The children of a constructed node (already validated by {@link #readSingle}). */
  public static List<Node> children(byte[] data, Node node) {
    if (!node.constructed()) {
      throw new Malformed("primitive object has no children");
    }
    return readAll(data, node.valueOffset(), node.valueOffset() + node.valueLength(), 0);
  }

  private static List<Node> readAll(byte[] d, int off, int end, int depth) {
    if (depth > MAX_DEPTH) {
      throw new Malformed("nesting too deep");
    }
    List<Node> out = new ArrayList<>();
    int p = off;
    while (p < end) {
      int first = d[p] & 0xFF;
      int tag = first;
      p++;
      if ((first & 0x1F) == 0x1F) {
        int count = 0;
        do {
          if (p >= end || ++count > 2) {
            throw new Malformed("bad tag");
          }
          tag = (tag << 8) | (d[p] & 0xFF);
        } while ((d[p++] & 0x80) != 0);
      }
      if (first == 0 && tag == 0) {
        throw new Malformed("zero tag");
      }
      if (p >= end) {
        throw new Malformed("truncated length");
      }
      int lb = d[p++] & 0xFF;
      long len;
      if (lb < 0x80) {
        len = lb;
      } else if (lb == 0x80) {
        throw new Malformed("indefinite length");
      } else {
        int n = lb & 0x7F;
        if (n > 4 || p + n > end) {
          throw new Malformed("bad length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (d[p++] & 0xFF);
        }
      }
      if (len > end - p) {
        throw new Malformed("value exceeds input");
      }
      boolean constructed = (first & 0x20) != 0;
      Node node = new Node(tag, constructed, p, (int) len);
      if (constructed) {
        readAll(d, p, p + (int) len, depth + 1);
      }
      out.add(node);
      p += (int) len;
    }
    return out;
  }
}
