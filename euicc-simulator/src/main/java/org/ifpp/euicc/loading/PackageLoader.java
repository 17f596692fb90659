package org.ifpp.euicc.loading;

import org.ifpp.crypto.ids.Eid;

/** Loads one whole Bound Profile Package into one chip (implemented by {@link LoadService}). */
@FunctionalInterface
public interface PackageLoader {

  /**
   * @param bindingCertificateDer the Key Maker's binding certificate (CERT.DPpb) that travels
   *     beside the package
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   * @throws MalformedPackageException if the bytes are not a package the chip could even answer
   */
  LoadOutcome load(Eid eid, byte[] boundProfilePackage, byte[] bindingCertificateDer);
}
