package org.ifpp.line.chip.pcsc;

import java.util.ArrayList;
import java.util.List;
import org.ifpp.crypto.tlv.Tlv;
import org.ifpp.crypto.tlv.TlvLimits;
import org.ifpp.crypto.tlv.TlvReader;
import org.ifpp.crypto.tlv.TlvWriter;

/**
 * Cuts a Bound Profile Package into the ES10b.LoadBoundProfilePackage commands an LPA sends (SGP.22
 * 2.5.5): the BF36 tag and length with the whole BF23; the whole A0; the A1 tag and length, each
 * 88; the whole A2 if present; the A3 tag and length, each 86.
 */
final class Es10bSegments {

  private Es10bSegments() {}

  /**
   * @throws org.ifpp.crypto.tlv.TlvException or IllegalArgumentException for bytes that are not a
   *     BF36 of this shape
   */
  static List<byte[]> split(byte[] bpp) {
    Tlv root = TlvReader.readSingle(bpp, TlvLimits.DEFAULT);
    if (root.tag() != 0xBF36) {
      throw new IllegalArgumentException("not a BF36");
    }
    List<Tlv> parts = root.children();
    if (parts.isEmpty() || parts.get(0).tag() != 0xBF23) {
      throw new IllegalArgumentException("BF36 does not start with BF23");
    }
    List<byte[]> out = new ArrayList<>();
    out.add(TlvWriter.concat(root.header(), parts.get(0).encoded()));
    for (Tlv part : parts.subList(1, parts.size())) {
      switch (part.tag()) {
        case 0xA0, 0xA2 -> out.add(part.encoded());
        case 0xA1, 0xA3 -> {
          out.add(part.header());
          for (Tlv element : part.children()) {
            out.add(element.encoded());
          }
        }
        default -> throw new IllegalArgumentException("unexpected " + part.tagHex() + " in BF36");
      }
    }
    return out;
  }
}
