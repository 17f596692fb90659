package org.ifpp.euicc.notifications;

import java.util.List;
import java.util.Objects;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.PendingNotification;
import org.ifpp.euicc.store.ChipRepository;

/**
 * A chip's pending notifications, as an LPA reads and acknowledges them over ES10b: list them with
 * their signed results (SGP.22 5.7.9 ListNotification, 5.7.10 RetrieveNotificationsList), remove
 * one once its result is safely elsewhere (5.7.11 RemoveNotificationFromList).
 */
public final class NotificationService {

  private final ChipRepository chips;

  public NotificationService(ChipRepository chips) {
    this.chips = Objects.requireNonNull(chips, "chips");
  }

  /**
   * @return the pending notifications, oldest first
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   */
  public List<PendingNotification> list(Eid eid) {
    Chip chip = chips.get(eid);
    return chip.locked(() -> List.copyOf(chip.notifications()));
  }

  /**
   * Removes one notification durably.
   *
   * @throws org.ifpp.euicc.chip.ChipNotFoundException if the chip does not exist
   * @throws NotificationNotFoundException if no pending notification has this sequence number
   */
  public void remove(Eid eid, long seqNumber) {
    Chip chip = chips.get(eid);
    chip.locked(
        () -> {
          if (!chip.removeNotification(seqNumber)) {
            throw new NotificationNotFoundException(eid, seqNumber);
          }
          chips.save(chip);
          return null;
        });
  }
}
