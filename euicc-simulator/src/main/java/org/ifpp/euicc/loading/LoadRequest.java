package org.ifpp.euicc.loading;

/**
 * A whole Bound Profile Package for one chip.
 *
 * @param boundProfilePackage the BF36 package, base64 DER
 * @param bindingCertificate the Key Maker's binding certificate (CERT.DPpb), base64 DER
 * @param bppEuiccOtpk SGP.22's bppEuiccOtpk, the one-time key the package is bound to (hex of the
 *     65-byte point), optional
 */
public record LoadRequest(
    String boundProfilePackage, String bindingCertificate, String bppEuiccOtpk) {

  public LoadRequest(String boundProfilePackage, String bindingCertificate) {
    this(boundProfilePackage, bindingCertificate, null);
  }
}
