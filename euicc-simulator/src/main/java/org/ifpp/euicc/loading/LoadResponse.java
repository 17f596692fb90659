package org.ifpp.euicc.loading;

/**
 * The chip's answer to a package: the JSON summary and the signed Profile Installation Result.
 *
 * @param eid the chip
 * @param result installed or rejected
 * @param errorReason SGP.22-style reason when rejected (null when installed)
 * @param iccid the profile's ICCID when known
 * @param transactionId the binding's transactionId (hex) when known
 * @param remainingOneTimeKeys unused one-time keys left on the chip
 * @param profileInstallationResult the signed PIR (BF37 DER), base64
 */
public record LoadResponse(
    String eid,
    String result,
    String errorReason,
    String iccid,
    String transactionId,
    int remainingOneTimeKeys,
    String profileInstallationResult) {

  static LoadResponse of(LoadOutcome o) {
    return new LoadResponse(
        o.eid().value(),
        o.installed() ? "installed" : "rejected",
        o.errorReason().orElse(null),
        o.iccid().map(i -> i.value()).orElse(null),
        o.transactionId().map(t -> t.toHex()).orElse(null),
        o.remainingOneTimeKeys(),
        java.util.Base64.getEncoder().encodeToString(o.profileInstallationResult()));
  }
}
