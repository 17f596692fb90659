package org.ifpp.euicc.store;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.euicc.chip.Chip;
import org.ifpp.euicc.chip.ChipNotFoundException;
import org.ifpp.euicc.chip.ChipStateException;

/**
 * The fleet: every chip in memory, addressed by EID, backed by a {@link ChipStore}. Loaded from the
 * store at construction (startup), so consumed keys stay consumed and installed profiles stay
 * installed across restarts.
 */
public final class ChipRepository {

  private final ChipStore store;
  private final ConcurrentMap<Eid, Chip> chips = new ConcurrentHashMap<>();

  public ChipRepository(ChipStore store) {
    this.store = Objects.requireNonNull(store, "store");
    for (Chip chip : store.loadAll()) {
      chips.put(chip.eid(), chip);
    }
  }

  /**
   * @throws ChipNotFoundException if no chip has this EID
   */
  public Chip get(Eid eid) {
    Chip chip = chips.get(eid);
    if (chip == null) {
      throw new ChipNotFoundException(eid);
    }
    return chip;
  }

  public boolean exists(Eid eid) {
    return chips.containsKey(eid);
  }

  public int size() {
    return chips.size();
  }

  /** All EIDs, sorted. */
  public List<Eid> eids() {
    return chips.keySet().stream().sorted((a, b) -> a.value().compareTo(b.value())).toList();
  }

  /**
   * Adds new chips and persists them durably.
   *
   * @throws ChipStateException {@code eidExists} if an EID is already in the fleet (nothing added)
   */
  public synchronized void addNew(Collection<Chip> newChips) {
    for (Chip c : newChips) {
      if (chips.containsKey(c.eid())) {
        throw new ChipStateException(
            SimulatorError.EID_EXISTS, "a chip with EID " + c.eid() + " exists");
      }
    }
    store.saveAll(newChips);
    for (Chip c : newChips) {
      chips.put(c.eid(), c);
    }
  }

  /** Persists one chip's changed state durably. Call while holding the chip's lock. */
  public void save(Chip chip) {
    store.save(chip);
  }
}
