package org.ifpp.line.chip;

import java.util.List;

/**
 * How a station reaches the chip in front of it: over the simulator's HTTP API ({@link ChipClient})
 * or through a PC/SC reader in APDUs ({@link org.ifpp.line.chip.pcsc.PcscStation}). The same three
 * operations either way, with the same outcomes.
 */
public interface ChipTransport {

  /**
   * Loads the package into chip {@code eid}, with the Key Maker's binding certificate beside it.
   *
   * @throws org.ifpp.line.http.HttpCallException when the simulator's HTTP API failed
   * @throws ChipUnavailableException when the chip could not be reached (no card, removed, timeout,
   *     another chip in the reader)
   */
  LoadOutcome load(String eid, byte[] boundPackage, byte[] bindingCertificate);

  /** The chip's pending notifications (SGP.22 RetrieveNotificationsList). */
  List<Notification> notifications(String eid);

  /** Removes a notification once its result reached the broker (RemoveNotificationFromList). */
  void removeNotification(String eid, long seqNumber);
}
