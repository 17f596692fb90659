package org.ifpp.crypto.bpp;

import org.ifpp.crypto.bsp.SessionKeys;
import org.ifpp.crypto.tlv.Tlv;

/**
 * Verifies and decrypts the segments of a Bound Profile Package with known keys (SGP.22 section
 * 2.6.4, IFPP.md section 6 step 7): every segment's MAC is verified before it is decrypted; the
 * session channel covers A0, A1 and A2; A3 continues it (session-key mode), or starts a fresh
 * channel on the PPKs from A2 (PPK mode). Nothing partial escapes: on failure all decrypted bytes
 * are wiped and a {@link BppDecodeException} names the failing command. The segments go one by one
 * through the same path the eUICC's segment-by-segment opener uses ({@link SegmentStream}).
 */
public final class BoundProfilePackageDecoder {

  private BoundProfilePackageDecoder() {}

  /** Decodes with the session keys; A3 uses the PPKs of A2 if present. */
  public static DecodedBoundProfilePackage decode(BoundProfilePackage bpp, SessionKeys session)
      throws BppDecodeException {
    return decode(bpp, session, null);
  }

  /**
   * Decodes with the session keys, and with {@code externalPpks} for A3 when the package has no A2
   * (packages whose PPKs travel out of band, as in pySim's tests). A2's PPKs win if present. Closes
   * neither key set.
   */
  public static DecodedBoundProfilePackage decode(
      BoundProfilePackage bpp, SessionKeys session, ProfileProtectionKeys externalPpks)
      throws BppDecodeException {
    try (SegmentStream stream = new SegmentStream(session, externalPpks)) {
      feedSegments(stream, bpp);
      return stream.finish();
    }
  }

  /**
   * Feeds every segment of {@code bpp} to {@code stream} in order, as the eUICC receives them one
   * by one.
   */
  static void feedSegments(SegmentStream stream, BoundProfilePackage bpp)
      throws BppDecodeException {
    stream.configureIsdp(bpp.configureIsdpSegments());
    for (Tlv segment : bpp.storeMetadataSegments()) {
      stream.storeMetadata(segment);
    }
    stream.endStoreMetadata();
    if (bpp.replaceSessionKeysSegment().isPresent()) {
      stream.replaceSessionKeys(bpp.replaceSessionKeysSegment().get());
    }
    for (Tlv segment : bpp.profileElementSegments()) {
      stream.profileElement(segment);
    }
  }
}
