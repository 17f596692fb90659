package org.ifpp.euicc.loading;

import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;

/**
 * One package received segment by segment (ES10b.LoadBoundProfilePackage, SGP.22 2.5.5 and 5.7.6):
 * the simulator's one path for a segmented load, whatever carries the segments (the card's STORE
 * DATA commands, an HTTP session, an HTTP list of segments). Each segment is checked against the
 * segmentation ({@link Es10bSegmentAssembler}) and then by the chip as it arrives ({@link
 * SegmentedLoad}, common-crypto's segment-by-segment opener):
 *
 * <ul>
 *   <li>the first segment (BF36 header and BF23) begins the load: checks 1 to 5 of IFPP.md section
 *       6, a refusal answered there with nothing consumed; else step 6 consumes the one-time key;
 *   <li>each later segment is MAC-verified and decrypted as it comes (step 7); the first that fails
 *       is answered with the signed result, the last one runs step 8 and answers;
 *   <li>a segment that breaks the segmentation is thrown ({@link SegmentationException}, nothing
 *       changed) while it is the first one, and answered {@code scp03tStructureError} after it, the
 *       key staying consumed.
 * </ul>
 *
 * <p>A package abandoned after its first segment ({@link #close()} before an answer) keeps its key
 * consumed, as SGP.22's eUICC deletes otSK.EUICC.ECKA once the session keys are derived. Not
 * thread-safe: one package, one sender.
 */
public final class Es10bLoading implements AutoCloseable {

  private final PackageLoader loader;
  private final Eid eid;
  private final byte[] bindingCertificate;
  private final BppEuiccOtpk named;
  private final Es10bSegmentAssembler assembler;
  private SegmentedLoad load;
  private LoadOutcome outcome;

  /**
   * @param named the package's {@code bppEuiccOtpk}, or null to try each unused key
   */
  public Es10bLoading(
      PackageLoader loader,
      Eid eid,
      byte[] bindingCertificateDer,
      BppEuiccOtpk named,
      int maxPackageBytes) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.eid = Objects.requireNonNull(eid, "eid");
    this.bindingCertificate = bindingCertificateDer.clone();
    this.named = named;
    this.assembler = new Es10bSegmentAssembler(maxPackageBytes);
  }

  /**
   * The next segment.
   *
   * @return the chip's signed answer if this segment fails or completes the package, empty while
   *     more segments are expected
   * @throws SegmentationException if the first segment breaks the segmentation (nothing changed)
   * @throws MalformedPackageException if the first segment's BF23 is not one the chip can answer
   *     (no transaction to answer; nothing consumed)
   * @throws OneTimeKeyUnavailableException if the named key is not one the chip holds unused
   * @throws IllegalStateException if the package was already answered
   */
  public Optional<LoadOutcome> accept(byte[] segment) {
    if (outcome != null) {
      throw new IllegalStateException("the package was already answered");
    }
    Es10bSegmentAssembler.State expected = assembler.state();
    try {
      assembler.accept(segment);
    } catch (SegmentationException e) {
      if (load == null) {
        throw e;
      }
      return Optional.of(answered(load.malformed(expected)));
    }
    if (load == null) {
      load =
          loader.beginLoading(eid, assembler.initialiseSecureChannel(), bindingCertificate, named);
      return load.outcome().map(this::answered);
    }
    return load.segment(segment, assembler.state()).map(this::answered);
  }

  /**
   * The segments ended before the package was complete (a list of segments sent in one call).
   *
   * @return after the first segment: the package answered {@code scp03tStructureError}, as a
   *     segment breaking the segmentation there would be (the key stays consumed)
   * @throws SegmentationException {@code incomplete-package} if no segment was accepted (nothing
   *     changed)
   */
  public LoadOutcome incomplete() {
    if (outcome != null) {
      return outcome;
    }
    if (load == null) {
      throw new SegmentationException(
          SimulatorError.INCOMPLETE_PACKAGE, "segments end before the package is complete");
    }
    return answered(load.malformed(assembler.state()));
  }

  /** What the next segment must be. */
  public Es10bSegmentAssembler.State state() {
    return assembler.state();
  }

  public int segmentsReceived() {
    return assembler.segmentCount();
  }

  /** The answer, once the package is answered. */
  public Optional<LoadOutcome> outcome() {
    return Optional.ofNullable(outcome);
  }

  private LoadOutcome answered(LoadOutcome answer) {
    outcome = answer;
    close();
    return answer;
  }

  /** Wipes the session keys and whatever was decrypted; an unanswered package is abandoned. */
  @Override
  public void close() {
    if (load != null) {
      load.close();
      load = null;
    }
  }
}
