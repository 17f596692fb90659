package org.ifpp.euicc.loading;

/**
 * A package larger than {@code ifpp.euicc.max-package-bytes}, whole or as declared by its first
 * ES10b segment: refused before any of the chip's checks, with code {@code packageTooLarge}.
 */
public final class PackageTooLargeException extends SegmentationException {

  public PackageTooLargeException(long maxPackageBytes) {
    super("packageTooLarge", "package exceeds " + maxPackageBytes + " bytes");
  }
}
