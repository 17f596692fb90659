package org.ifpp.euicc.loading;

import org.ifpp.euicc.SimulatorError;

/**
 * A package larger than {@code ifpp.euicc.max-package-bytes}, whole or as declared by its first
 * ES10b segment: refused before any of the chip's checks, with code {@code package-too-large}.
 */
public final class PackageTooLargeException extends SegmentationException {

  public PackageTooLargeException(long maxPackageBytes) {
    super(SimulatorError.PACKAGE_TOO_LARGE, "package exceeds " + maxPackageBytes + " bytes");
  }
}
