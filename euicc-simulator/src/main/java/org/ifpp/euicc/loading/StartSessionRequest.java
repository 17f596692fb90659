package org.ifpp.euicc.loading;

/**
 * Opens a segmented (ES10b) load session.
 *
 * @param bindingCertificate the Key Maker's binding certificate, base64 DER
 */
public record StartSessionRequest(String bindingCertificate) {}
