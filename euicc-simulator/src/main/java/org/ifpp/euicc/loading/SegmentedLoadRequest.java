package org.ifpp.euicc.loading;

import java.util.List;

/**
 * A package as the list of ES10b segments an LPA sends (BF36 header + BF23, A0, A1 header, each 88,
 * A2, A3 header, each 86), in one call.
 *
 * @param bindingCertificate the Key Maker's binding certificate, base64 DER
 * @param segments the segments in order, base64 each
 * @param bppEuiccOtpk optional: hex of the one-time key the package is bound to
 */
public record SegmentedLoadRequest(
    String bindingCertificate, List<String> segments, String bppEuiccOtpk) {}
