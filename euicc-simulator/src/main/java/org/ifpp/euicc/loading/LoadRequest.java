package org.ifpp.euicc.loading;

/**
 * A whole Bound Profile Package for one chip.
 *
 * @param boundProfilePackage the BF36 package, base64 DER
 * @param bindingCertificate the Key Maker's binding certificate (CERT.DPpb), base64 DER
 */
public record LoadRequest(String boundProfilePackage, String bindingCertificate) {}
