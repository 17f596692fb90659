package org.ifpp.euicc.card;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.loading.Es10bSegmentAssembler;
import org.ifpp.euicc.loading.LoadOutcome;
import org.ifpp.euicc.loading.MalformedPackageException;
import org.ifpp.euicc.loading.SegmentationException;

/**
 * ES10b.LoadBoundProfilePackage on one logical channel (SGP.22 5.7.6 and 2.5.5): the segments of
 * one package, each a complete STORE DATA command, are checked against the segmentation by {@link
 * Es10bSegmentAssembler}; an intermediate segment answers {@code 9000} without data; the last one
 * hands the package to the simulator's one load path ({@link org.ifpp.euicc.loading.PackageLoader},
 * the section-6 checks in order, the one-time key consumed as there) and answers the signed
 * ProfileInstallationResult ({@code BF37}).
 *
 * <p>The Key Maker's binding certificate (CERT.DPpb) reaches the chip before the package in a
 * proprietary command {@code F4 {certificate DER}}: there is no ES8+ AuthenticateServer in the
 * factory to carry it. It serves every following load on the channel; without one, a load is
 * answered {@code invalidCertificate} (step 2).
 *
 * <p>A segment that breaks the segmentation (wrong tag, length or order) is answered {@code 6A80};
 * the load is then abandoned before any check ran, nothing on the chip changed.
 */
final class Es10Load {

  static final int BINDING_CERTIFICATE_TAG = 0xF4;
  private static final byte[] NO_CERTIFICATE = new byte[0];

  private final Eid eid;
  private final CardServices services;
  private byte[] bindingCertificate = NO_CERTIFICATE;
  private Es10bSegmentAssembler assembler;

  Es10Load(Eid eid, CardServices services) {
    this.eid = eid;
    this.services = services;
  }

  static boolean isSegmentTag(int tag) {
    return switch (tag) {
      case 0xBF36, 0xA0, 0xA1, 0x88, 0xA2, 0xA3, 0x86 -> true;
      default -> false;
    };
  }

  /** The proprietary {@code F4}: the binding certificate for the next package. */
  Es10Response bindingCertificate(byte[] certificateDer) {
    if (certificateDer.length == 0) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    bindingCertificate = certificateDer.clone();
    assembler = null;
    return Es10Response.ok();
  }

  Es10Response segment(int tag, byte[] segment) {
    if (tag == 0xBF36) {
      assembler = new Es10bSegmentAssembler(services.maxPackageBytes());
    } else if (assembler == null) {
      return Es10Response.error(StatusWord.CONDITIONS_NOT_SATISFIED);
    }
    try {
      assembler.accept(segment);
    } catch (SegmentationException e) {
      assembler = null;
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
    if (!assembler.isComplete()) {
      return Es10Response.ok();
    }
    byte[] bpp = assembler.assembled();
    assembler = null;
    try {
      LoadOutcome outcome = services.loader().load(eid, bpp, bindingCertificate);
      return Es10Response.ok(outcome.profileInstallationResult());
    } catch (MalformedPackageException e) {
      return Es10Response.error(StatusWord.WRONG_DATA);
    }
  }

  /** Whether a package is being received (some segments accepted, not the last). */
  boolean inProgress() {
    return assembler != null;
  }
}
