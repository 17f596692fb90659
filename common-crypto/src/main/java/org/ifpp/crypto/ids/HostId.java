package org.ifpp.crypto.ids;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hostId of the BSP control reference template (tag 84 in BF23/A6) and of SharedInfo: 1 to 16
 * bytes identifying the Key Maker (IFPP.md section 5).
 */
public final class HostId {

  private final byte[] bytes;

  private HostId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * @throws IllegalArgumentException unless 1 to 16 bytes
   */
  public static HostId of(byte[] bytes) {
    if (bytes == null || bytes.length < 1 || bytes.length > 16) {
      throw new IllegalArgumentException("hostId must be 1 to 16 bytes");
    }
    return new HostId(bytes.clone());
  }

  /** The hostId as the UTF-8 bytes of a text (what `--host-id TEXT` means). */
  public static HostId ofText(String text) {
    return of(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }
}
