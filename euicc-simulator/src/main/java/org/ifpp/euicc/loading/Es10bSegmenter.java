package org.ifpp.euicc.loading;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.loading.internal.TlvHeader;

/**
 * The LPA side of {@link Es10bSegmentAssembler}: cuts a Bound Profile Package into the ES10b
 * segments the way lpac does (SGP.22 section 2.5.5). Used by tests and by line drivers that want to
 * exercise real segmentation. Only walks the top-level framing of BF36.
 */
public final class Es10bSegmenter {

  private Es10bSegmenter() {}

  /**
   * @throws SegmentationException if the package is not a BF36 whose children are BF23, A0, A1,
   *     optional A2, A3
   */
  public static List<byte[]> split(byte[] bpp) {
    try {
      TlvHeader top = TlvHeader.read(bpp, 0);
      if (top.tag() != 0xBF36 || top.totalLength() != bpp.length) {
        throw new SegmentationException(SimulatorError.MALFORMED_SEGMENT, "not a single BF36 TLV");
      }
      List<byte[]> out = new ArrayList<>();
      int pos = top.headerLength();
      TlvHeader iscr = TlvHeader.read(bpp, pos);
      out.add(Arrays.copyOfRange(bpp, 0, (int) (pos + iscr.totalLength())));
      pos += (int) iscr.totalLength();
      while (pos < bpp.length) {
        TlvHeader h = TlvHeader.read(bpp, pos);
        int end = (int) (pos + h.totalLength());
        if (h.tag() == 0xA1 || h.tag() == 0xA3) {
          out.add(Arrays.copyOfRange(bpp, pos, pos + h.headerLength()));
          int p = pos + h.headerLength();
          while (p < end) {
            TlvHeader e = TlvHeader.read(bpp, p);
            out.add(Arrays.copyOfRange(bpp, p, (int) (p + e.totalLength())));
            p += (int) e.totalLength();
          }
        } else {
          out.add(Arrays.copyOfRange(bpp, pos, end));
        }
        pos = end;
      }
      return out;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new SegmentationException(
          SimulatorError.MALFORMED_SEGMENT, "package framing is malformed");
    }
  }
}
