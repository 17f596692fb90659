package org.ifpp.keymaker.finalisation;

import java.util.Collection;
import java.util.Map;
import org.ifpp.crypto.ids.Eid;

/**
 * Which chips have proven their finalisation (a verified receipt): the narrow view other features
 * (batches, production orders) use to show finalised and not-finalised chips.
 */
public interface FinalisationStatus {

  /**
   * The finalisation of each registered chip among {@code eids} (unknown EIDs are absent).
   *
   * @return by EID
   */
  Map<Eid, ChipFinalisation> finalisationOf(Collection<Eid> eids);

  /**
   * @param finalised a verified receipt is stored
   * @param counter the latest receipt's counter, null if none
   * @param oneTimeKeysDeleted unused one-time keys the latest receipt says were wiped, null if none
   * @param refusal the code of the latest receipt of this chip the Key Maker refused, null if none
   *     (a chip with a verified receipt is finalised whatever it was refused before)
   */
  record ChipFinalisation(
      Eid eid, boolean finalised, Long counter, Long oneTimeKeysDeleted, String refusal) {}
}
