package org.ifpp.euicc.lifecycle;

import java.time.Instant;
import java.util.List;
import org.ifpp.euicc.chip.ChipStatus;

/**
 * A chip's state as the API shows it: never a key, never profile content.
 *
 * @param eid the chip
 * @param mode production, field, or locked
 * @param ifppEnabled IFPP loading allowed
 * @param fieldServicesEnabled LPA/IPA services unlocked
 * @param oneTimeKeysRemaining unused one-time keys
 * @param oneTimeKeysConsumed keys used by loads
 * @param oneTimeKeysWiped keys wiped at finalisation
 * @param installedProfiles installed profiles
 * @param finalisationCounter counter of the last accepted finalisation command (0: none); the next
 *     command must carry a greater one
 * @param deviceMakerKey whether the chip trusts a device-maker key (can be finalised by command)
 */
public record ChipStatusResponse(
    String eid,
    String mode,
    boolean ifppEnabled,
    boolean fieldServicesEnabled,
    int oneTimeKeysRemaining,
    int oneTimeKeysConsumed,
    int oneTimeKeysWiped,
    List<Profile> installedProfiles,
    long finalisationCounter,
    boolean deviceMakerKey) {

  /**
   * @param iccid ICCID
   * @param name profile name from the metadata
   * @param contentSha256 SHA-256 (hex) of the installed plain profile content
   * @param transactionId the installing binding's transactionId (hex)
   * @param installedAt install time
   */
  public record Profile(
      String iccid, String name, String contentSha256, String transactionId, Instant installedAt) {}

  public static ChipStatusResponse of(ChipStatus s) {
    return new ChipStatusResponse(
        s.eid().value(),
        s.mode(),
        s.ifppEnabled(),
        s.fieldServicesEnabled(),
        s.oneTimeKeysUnused(),
        s.oneTimeKeysConsumed(),
        s.oneTimeKeysWiped(),
        s.profiles().stream()
            .map(
                p ->
                    new Profile(
                        p.iccid().value(),
                        p.name(),
                        p.contentSha256(),
                        p.transactionId().toHex(),
                        p.installedAt()))
            .toList(),
        s.finalisationCounter(),
        s.deviceMakerKeyPresent());
  }
}
