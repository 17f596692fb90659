package org.ifpp.euicc.lifecycle;

import java.util.Objects;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipStateException;
import org.ifpp.euicc.chip.ChipStatus;
import org.ifpp.euicc.store.ChipRepository;

/**
 * A chip's status and its field services (EUICCF04); the end of production is the device maker's
 * signed command ({@code finalisation.FinalisationService}). Every change is persisted before the
 * method returns.
 */
public final class ChipLifecycleService {

  private final ChipRepository chips;

  public ChipLifecycleService(ChipRepository chips) {
    this.chips = Objects.requireNonNull(chips, "chips");
  }

  public ChipStatus status(Eid eid) {
    Chip chip = chips.get(eid);
    return chip.locked(() -> ChipStatus.of(chip));
  }

  /**
   * Unlocks field services without wiping (possible only when every one-time key has been used).
   *
   * @throws ChipStateException {@code oneTimeKeysRemain} otherwise (EUICCF04)
   */
  public ChipStatus enableFieldServices(Eid eid) {
    Chip chip = chips.get(eid);
    return chip.locked(
        () -> {
          chip.enableFieldServices();
          chips.save(chip);
          return ChipStatus.of(chip);
        });
  }
}
