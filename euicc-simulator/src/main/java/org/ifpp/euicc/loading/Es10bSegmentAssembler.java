package org.ifpp.euicc.loading;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.loading.internal.TlvHeader;

/**
 * Reassembles a Bound Profile Package from the segments an LPA sends in successive
 * ES10b.LoadBoundProfilePackage calls (SGP.22 section 2.5.5, as lpac does it):
 *
 * <ol>
 *   <li>the BF36 tag and length followed by the whole BF23 InitialiseSecureChannelRequest;
 *   <li>the whole A0 (firstSequenceOf87: ConfigureISDP);
 *   <li>the A1 tag and length only, then each 88 (StoreMetadata) as its own segment;
 *   <li>optionally the whole A2 (secondSequenceOf87: ReplaceSessionKeys);
 *   <li>the A3 tag and length only, then each 86 (profile data) as its own segment.
 * </ol>
 *
 * <p>Each segment is checked against the state machine as it arrives: the lengths declared by BF36,
 * A1 and A3 must be exactly filled. When the last 86 completes BF36, {@link #isComplete()} turns
 * true. The segments are not kept: the chip checks each as it comes ({@link Es10bLoading}). Not
 * thread-safe (one session, one LPA).
 */
public final class Es10bSegmentAssembler {

  /** Where the assembler stands. */
  public enum State {
    EXPECT_HEADER,
    EXPECT_A0,
    EXPECT_A1_HEADER,
    EXPECT_88,
    EXPECT_A2_OR_A3_HEADER,
    EXPECT_A3_HEADER,
    EXPECT_86,
    COMPLETE,
    FAILED
  }

  private static final int BPP = 0xBF36;
  private static final int ISCR = 0xBF23;

  private final int maxPackageBytes;
  private long received;
  private State state = State.EXPECT_HEADER;
  private long bppRemaining;
  private long sequenceRemaining;
  private int segments;
  private byte[] initialiseSecureChannel;

  public Es10bSegmentAssembler(int maxPackageBytes) {
    this.maxPackageBytes = maxPackageBytes;
  }

  public State state() {
    return state;
  }

  public int segmentCount() {
    return segments;
  }

  public boolean isComplete() {
    return state == State.COMPLETE;
  }

  /**
   * Accepts the next segment.
   *
   * @throws SegmentationException if it does not fit; the assembler is then FAILED
   */
  public void accept(byte[] segment) {
    if (state == State.COMPLETE || state == State.FAILED) {
      throw fail(SimulatorError.SESSION_CLOSED, "no more segments expected (state " + state + ")");
    }
    if (segment == null || segment.length == 0) {
      throw fail(SimulatorError.EMPTY_SEGMENT, "segment is empty");
    }
    TlvHeader h;
    try {
      h = TlvHeader.read(segment, 0);
    } catch (IllegalArgumentException e) {
      throw fail(SimulatorError.MALFORMED_SEGMENT, "segment does not start with a BER-TLV header");
    }
    switch (state) {
      case EXPECT_HEADER -> acceptHeader(segment, h);
      case EXPECT_A0 -> {
        requireTag(h, 0xA0);
        requireWhole(segment, h);
        takeFromBpp(segment.length);
        state = State.EXPECT_A1_HEADER;
      }
      case EXPECT_A1_HEADER -> openSequence(segment, h, 0xA1, State.EXPECT_88);
      case EXPECT_88 -> sequenceElement(segment, h, 0x88, State.EXPECT_A2_OR_A3_HEADER);
      case EXPECT_A2_OR_A3_HEADER -> {
        if (h.tag() == 0xA2) {
          requireWhole(segment, h);
          takeFromBpp(segment.length);
          state = State.EXPECT_A3_HEADER;
        } else {
          openSequence(segment, h, 0xA3, State.EXPECT_86);
        }
      }
      case EXPECT_A3_HEADER -> openSequence(segment, h, 0xA3, State.EXPECT_86);
      case EXPECT_86 -> sequenceElement(segment, h, 0x86, State.COMPLETE);
      default -> throw fail(SimulatorError.SESSION_CLOSED, "unexpected state " + state);
    }
    if (received + segment.length > maxPackageBytes) {
      throw fail(SimulatorError.PACKAGE_TOO_LARGE, "package exceeds " + maxPackageBytes + " bytes");
    }
    received += segment.length;
    segments++;
    if (state == State.COMPLETE && bppRemaining != 0) {
      throw fail(SimulatorError.LENGTH_MISMATCH, "BF36 length not filled by the segments");
    }
  }

  private void acceptHeader(byte[] segment, TlvHeader bpp) {
    requireTag(bpp, BPP);
    if (bpp.totalLength() > maxPackageBytes) {
      throw fail(
          SimulatorError.PACKAGE_TOO_LARGE, "package declares " + bpp.totalLength() + " bytes");
    }
    bppRemaining = bpp.valueLength();
    TlvHeader iscr;
    try {
      iscr = TlvHeader.read(segment, bpp.headerLength());
    } catch (IllegalArgumentException e) {
      throw fail(SimulatorError.MALFORMED_SEGMENT, "first segment must hold BF36 header and BF23");
    }
    requireTag(iscr, ISCR);
    if (bpp.headerLength() + iscr.totalLength() != segment.length) {
      throw fail(
          SimulatorError.MALFORMED_SEGMENT,
          "first segment must be the BF36 header and exactly BF23");
    }
    takeFromBpp(iscr.totalLength());
    initialiseSecureChannel =
        java.util.Arrays.copyOfRange(segment, bpp.headerLength(), segment.length);
    state = State.EXPECT_A0;
  }

  private void openSequence(byte[] segment, TlvHeader h, int tag, State next) {
    requireTag(h, tag);
    if (segment.length != h.headerLength()) {
      throw fail(
          SimulatorError.MALFORMED_SEGMENT, "sequence segment must be the tag and length only");
    }
    takeFromBpp(h.headerLength());
    if (h.valueLength() > bppRemaining) {
      throw fail(SimulatorError.LENGTH_MISMATCH, "sequence longer than the rest of BF36");
    }
    sequenceRemaining = h.valueLength();
    state = next;
    if (sequenceRemaining == 0) {
      throw fail(SimulatorError.LENGTH_MISMATCH, "empty sequence");
    }
  }

  private void sequenceElement(byte[] segment, TlvHeader h, int tag, State after) {
    requireTag(h, tag);
    requireWhole(segment, h);
    if (segment.length > sequenceRemaining) {
      throw fail(SimulatorError.LENGTH_MISMATCH, "element overruns its sequence");
    }
    sequenceRemaining -= segment.length;
    takeFromBpp(segment.length);
    if (sequenceRemaining == 0) {
      state = after;
    }
  }

  private void takeFromBpp(long n) {
    if (n > bppRemaining) {
      throw fail(SimulatorError.LENGTH_MISMATCH, "segments overrun the BF36 length");
    }
    bppRemaining -= n;
  }

  private void requireTag(TlvHeader h, int tag) {
    if (h.tag() != tag) {
      throw fail(
          SimulatorError.UNEXPECTED_SEGMENT,
          String.format("expected tag %X in state %s, got %X", tag, state, h.tag()));
    }
  }

  private void requireWhole(byte[] segment, TlvHeader h) {
    if (h.totalLength() != segment.length) {
      throw fail(SimulatorError.MALFORMED_SEGMENT, "segment length does not match its TLV length");
    }
  }

  private SegmentationException fail(SimulatorError code, String message) {
    state = State.FAILED;
    return new SegmentationException(code, message);
  }

  /**
   * The BF23 InitialiseSecureChannelRequest of the first segment, once accepted (for the checks
   * that can run on it alone, IFPP.md section 6 steps 1 to 5).
   *
   * @throws IllegalStateException before the first segment was accepted
   */
  public byte[] initialiseSecureChannel() {
    if (initialiseSecureChannel == null) {
      throw new IllegalStateException("no first segment yet");
    }
    return initialiseSecureChannel.clone();
  }
}
