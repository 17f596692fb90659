package org.ifpp.euicc.loading;

/**
 * Opens a segmented (ES10b) load session.
 *
 * @param bindingCertificate the Key Maker's binding certificate, base64 DER
 * @param bppEuiccOtpk optional: hex of the one-time key the package is bound to (SGP.22's {@code
 *     bppEuiccOtpk}); the chip then checks that key only
 */
public record StartSessionRequest(String bindingCertificate, String bppEuiccOtpk) {}
