package org.ifpp.crypto.testing;

import java.nio.charset.StandardCharsets;
import org.ifpp.crypto.tlv.TlvWriter;

/** Small hand-made profile packages for tests that need many bindings. */
public final class Profiles {

  private Profiles() {}

  /** A header-only SAIP package with the given ICCID digits (plain BCD, F padded). */
  public static byte[] tiny(String iccidDigits) {
    String padded = (iccidDigits + "FFFF").substring(0, 20);
    byte[] iccid = Vectors.hex(padded);
    return TlvWriter.concat(
        TlvWriter.encodeConstructed(
            0xA0,
            TlvWriter.encode(0x80, new byte[] {2}),
            TlvWriter.encode(0x81, new byte[] {1}),
            TlvWriter.encode(0x82, "tiny".getBytes(StandardCharsets.UTF_8)),
            TlvWriter.encode(0x83, iccid)),
        TlvWriter.encodeConstructed(0xAA, TlvWriter.encode(0x80, new byte[] {0})));
  }
}
