package org.ifpp.euicc.chip;

import java.util.List;
import org.ifpp.crypto.ids.Eid;

/**
 * A consistent snapshot of a chip's public state (taken under its lock): no key material.
 *
 * @param eid the chip
 * @param ifppEnabled IFPP loading allowed (production not finalised, GENS13)
 * @param fieldServicesEnabled LPA/IPA services unlocked (only once no one-time key remains,
 *     EUICCF04)
 * @param oneTimeKeysUnused one-time keys still usable
 * @param oneTimeKeysConsumed one-time keys used by a load
 * @param oneTimeKeysWiped one-time keys wiped unused at finalisation
 * @param profiles installed profiles (hash and metadata only)
 * @param finalisationCounter the counter of the last accepted finalisation command, 0 for none
 * @param deviceMakerKeyPresent the chip was given a device-maker key at manufacturing
 */
public record ChipStatus(
    Eid eid,
    boolean ifppEnabled,
    boolean fieldServicesEnabled,
    int oneTimeKeysUnused,
    int oneTimeKeysConsumed,
    int oneTimeKeysWiped,
    List<InstalledProfile> profiles,
    long finalisationCounter,
    boolean deviceMakerKeyPresent) {

  /** Takes the snapshot; call under the chip's lock. */
  public static ChipStatus of(Chip chip) {
    int consumed = 0;
    int wiped = 0;
    for (OneTimeKeySlot k : chip.oneTimeKeys()) {
      if (k.state() == OneTimeKeySlot.State.CONSUMED) {
        consumed++;
      } else if (k.state() == OneTimeKeySlot.State.WIPED) {
        wiped++;
      }
    }
    return new ChipStatus(
        chip.eid(),
        chip.ifppEnabled(),
        chip.fieldServicesEnabled(),
        chip.unusedKeyCount(),
        consumed,
        wiped,
        List.copyOf(chip.profiles()),
        chip.finalisationCounter(),
        chip.deviceMakerKey().isPresent());
  }

  /** "production" while IFPP loading is enabled, "field" once field services are unlocked. */
  public String mode() {
    return fieldServicesEnabled ? "field" : ifppEnabled ? "production" : "locked";
  }
}
