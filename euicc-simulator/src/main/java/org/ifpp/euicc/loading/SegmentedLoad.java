package org.ifpp.euicc.loading;

import java.util.Optional;

/**
 * One package being received segment by segment on a card (ES10b.LoadBoundProfilePackage, SGP.22
 * 2.5.5 and 5.7.6), begun by {@link PackageLoader#beginLoading} on its first segment. Each later
 * segment is checked as it arrives (IFPP.md section 6 step 7 on its MAC and content); the first
 * that fails, or the last one, is answered with the chip's signed result, kept as for a whole
 * package. Segments must come in the order {@link Es10bSegmentAssembler} checks; not thread-safe.
 */
public interface SegmentedLoad extends AutoCloseable {

  /** The answer once the package is answered (refused at any segment, or the last one's). */
  Optional<LoadOutcome> outcome();

  /**
   * The next segment, as accepted by the assembler.
   *
   * @param segment the segment (a whole A0, an 88, a whole A2, an 86, or the A1 or A3 header)
   * @param after the assembler's state after accepting it: tells the last 88 and the last 86
   * @return the answer if this segment fails or completes the package, empty to go on
   * @throws IllegalStateException if the package was already answered
   */
  Optional<LoadOutcome> segment(byte[] segment, Es10bSegmentAssembler.State after);

  /**
   * The segmentation broke after the first segment (a segment out of order, a length not filled):
   * the package is answered {@code scp03tStructureError}, the one-time key staying consumed.
   *
   * @param expected the assembler's state before the failing segment (what was expected)
   */
  LoadOutcome malformed(Es10bSegmentAssembler.State expected);

  /** Wipes the session keys and whatever was decrypted; an unanswered package is abandoned. */
  @Override
  void close();
}
