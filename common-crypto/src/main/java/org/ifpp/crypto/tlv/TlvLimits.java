package org.ifpp.crypto.tlv;

/**
 * Resource limits applied while reading BER-TLV, so that hostile input cannot make the reader
 * allocate or recurse without bound.
 *
 * @param maxTotalSize largest accepted input, in bytes
 * @param maxDepth deepest accepted nesting of constructed objects (top level is depth 1)
 * @param maxValueLength largest accepted single value, in bytes
 */
public record TlvLimits(int maxTotalSize, int maxDepth, int maxValueLength) {

  /**
   * Defaults sized for SGP.22 packages: a Bound Profile Package of a large profile stays well below
   * 4 MiB; SAIP profile packages nest about 6 deep.
   */
  public static final TlvLimits DEFAULT = new TlvLimits(4 * 1024 * 1024, 32, 4 * 1024 * 1024);

  public TlvLimits {
    if (maxTotalSize < 1 || maxDepth < 1 || maxValueLength < 0) {
      throw new IllegalArgumentException("TLV limits must be positive");
    }
  }
}
