package org.ifpp.euicc.profiles;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.InstalledProfile;
import org.ifpp.euicc.store.ChipRepository;

/**
 * The local profile management an LPA performs over ES10c (SGP.22 5.7.16 EnableProfile, 5.7.17
 * DisableProfile, 5.7.18 DeleteProfile, 5.7.21 SetNickname). Each is refused with
 * disallowedByPolicy while the chip's field services are locked (EUICCF04: during production, while
 * one-time keys remain) and works once production is finalised. Enabling a profile disables the one
 * enabled before (one enabled profile at a time). Every change is persisted before the answer.
 */
public final class ProfileManagementService {

  private final ChipRepository chips;

  public ProfileManagementService(ChipRepository chips) {
    this.chips = Objects.requireNonNull(chips, "chips");
  }

  /**
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   */
  public ProfileOperationResult enable(Eid eid, ProfileSelector selector) {
    return change(
        eid,
        selector,
        (chip, p) -> {
          if (p.enabled()) {
            return ProfileOperationResult.WRONG_PROFILE_STATE;
          }
          for (InstalledProfile other : chip.profiles()) {
            if (other.enabled()) {
              chip.updateProfile(other.withEnabled(false));
            }
          }
          chip.updateProfile(p.withEnabled(true));
          return ProfileOperationResult.OK;
        });
  }

  public ProfileOperationResult disable(Eid eid, ProfileSelector selector) {
    return change(
        eid,
        selector,
        (chip, p) -> {
          if (!p.enabled()) {
            return ProfileOperationResult.WRONG_PROFILE_STATE;
          }
          chip.updateProfile(p.withEnabled(false));
          return ProfileOperationResult.OK;
        });
  }

  public ProfileOperationResult delete(Eid eid, ProfileSelector selector) {
    return change(
        eid,
        selector,
        (chip, p) -> {
          if (p.enabled()) {
            return ProfileOperationResult.WRONG_PROFILE_STATE;
          }
          chip.removeProfile(p.iccid());
          return ProfileOperationResult.OK;
        });
  }

  /** Sets (or with an empty string, clears) the nickname of a profile named by its ICCID. */
  public ProfileOperationResult setNickname(Eid eid, ProfileSelector selector, String nickname) {
    Optional<String> value = nickname.isEmpty() ? Optional.empty() : Optional.of(nickname);
    return change(
        eid,
        selector,
        (chip, p) -> {
          chip.updateProfile(p.withNickname(value));
          return ProfileOperationResult.OK;
        });
  }

  private ProfileOperationResult change(
      Eid eid,
      ProfileSelector selector,
      BiFunction<Chip, InstalledProfile, ProfileOperationResult> operation) {
    Chip chip = chips.get(eid);
    return chip.locked(
        () -> {
          if (!chip.fieldServicesEnabled()) {
            return ProfileOperationResult.DISALLOWED_BY_POLICY;
          }
          Optional<InstalledProfile> profile = selector.find(chip);
          if (profile.isEmpty()) {
            return ProfileOperationResult.ICCID_OR_AID_NOT_FOUND;
          }
          ProfileOperationResult result = operation.apply(chip, profile.get());
          if (result == ProfileOperationResult.OK) {
            chips.save(chip);
          }
          return result;
        });
  }
}
