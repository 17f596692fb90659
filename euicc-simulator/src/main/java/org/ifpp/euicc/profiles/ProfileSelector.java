package org.ifpp.euicc.profiles;

import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.ifpp.crypto.ids.Iccid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.InstalledProfile;

/**
 * How an ES10c command names a profile (SGP.22 5.7.16-5.7.18 profileIdentifier): by the AID of its
 * ISD-P or by its ICCID.
 */
public sealed interface ProfileSelector {

  /** The installed profile this selector names on the chip (call under the chip's lock). */
  Optional<InstalledProfile> find(Chip chip);

  /** By ISD-P AID ({@code 4F}). */
  record ByIsdpAid(byte[] aid) implements ProfileSelector {
    public ByIsdpAid {
      Objects.requireNonNull(aid, "aid");
      aid = aid.clone();
    }

    @Override
    public Optional<InstalledProfile> find(Chip chip) {
      return chip.profileByIsdpAid(HexFormat.of().formatHex(aid));
    }
  }

  /** By ICCID ({@code 5A}). */
  record ByIccid(Iccid iccid) implements ProfileSelector {
    public ByIccid {
      Objects.requireNonNull(iccid, "iccid");
    }

    @Override
    public Optional<InstalledProfile> find(Chip chip) {
      return chip.profile(iccid);
    }
  }
}
