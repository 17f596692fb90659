package org.ifpp.euicc.loading;

import org.ifpp.crypto.bpp.BppEuiccOtpk;
import org.ifpp.crypto.ids.Eid;

/** Loads one whole Bound Profile Package into one chip (implemented by {@link LoadService}). */
public interface PackageLoader {

  /**
   * @param bindingCertificateDer the Key Maker's binding certificate (CERT.DPpb) that travels
   *     beside the package
   * @param named the package's {@code bppEuiccOtpk} (the one-time key it is bound to), or null: a
   *     package without it is opened by trying each unused key
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   * @throws MalformedPackageException if the bytes are not a package the chip could even answer
   * @throws OneTimeKeyUnavailableException if {@code named} is not a key the chip holds unused;
   *     nothing consumed, no result signed
   */
  LoadOutcome load(
      Eid eid, byte[] boundProfilePackage, byte[] bindingCertificateDer, BppEuiccOtpk named);

  /** A load without {@code bppEuiccOtpk}. */
  default LoadOutcome load(Eid eid, byte[] boundProfilePackage, byte[] bindingCertificateDer) {
    return load(eid, boundProfilePackage, bindingCertificateDer, null);
  }

  /**
   * Checks, before any segment is sent, that the chip holds the key {@code named} unused.
   *
   * @throws OneTimeKeyUnavailableException if not (spent or never this chip's); nothing changes
   */
  void requireUnusedOneTimeKey(Eid eid, BppEuiccOtpk named);

  /**
   * Begins a package received segment by segment, on its first ES10b segment (its {@code BF23}):
   * checks 1 to 5 of IFPP.md section 6, then step 6 (the one-time key consumed and persisted) and
   * the key agreement. A refusal at checks 1 to 5 is already the load's {@link
   * SegmentedLoad#outcome()}: the same signed result, kept the same way, as a load of the whole
   * package gives; nothing consumed.
   *
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   * @throws MalformedPackageException if {@code initialiseSecureChannel} is not a readable BF23
   *     when the checks come to it (no transaction to answer); nothing consumed
   * @throws OneTimeKeyUnavailableException if {@code named} is not a key the chip holds unused
   */
  SegmentedLoad beginLoading(
      Eid eid, byte[] initialiseSecureChannel, byte[] bindingCertificateDer, BppEuiccOtpk named);
}
