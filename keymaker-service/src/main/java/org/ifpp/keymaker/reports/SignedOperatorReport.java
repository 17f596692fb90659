package org.ifpp.keymaker.reports;

import java.util.List;

/**
 * The file an operator keeps (format {@code ifpp-signed-operator-report/1}): the report's exact
 * JSON bytes, a detached ECDSA signature over them made in the HSM with the Key Maker's binding
 * key, and that key's certificate chain (leaf first). Verify: decode {@code report} and {@code
 * signature} from base64, check the chain against the Key Maker certificate from the key ceremony,
 * then {@code openssl dgst -sha256 -verify pub.pem -signature report.sig report.json}.
 *
 * @param signatureAlgorithm always {@code SHA256withECDSA} (DER-encoded signature)
 */
public record SignedOperatorReport(
    String format,
    String report,
    String signatureAlgorithm,
    String signature,
    List<String> certificateChain) {

  public static final String FORMAT = "ifpp-signed-operator-report/1";
}
