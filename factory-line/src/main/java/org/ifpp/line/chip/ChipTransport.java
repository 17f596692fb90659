package org.ifpp.line.chip;

import java.util.List;
import org.ifpp.crypto.ids.Eid;

/**
 * How a station reaches the chip in front of it: over the simulator's HTTP API ({@link ChipClient})
 * or through a PC/SC reader in APDUs ({@link org.ifpp.line.chip.pcsc.PcscStation}). The same three
 * operations either way, with the same outcomes.
 */
public interface ChipTransport {

  /** The reason of a load the chip refused before loading: it had the key, no longer has it. */
  String ONE_TIME_KEY_SPENT = "one-time-key-spent";

  /** The reason of a load the chip refused before loading: the key was never this chip's. */
  String ONE_TIME_KEY_UNKNOWN = "one-time-key-unknown";

  /**
   * Loads the package into chip {@code eid}, with the Key Maker's binding certificate beside it
   * and, when the package came with it, the identifier of the one-time key it is bound to (SGP.22's
   * {@code bppEuiccOtpk}, hex of the 65-byte point). With it the chip selects its key directly and
   * tells before loading that it no longer has that key: an outcome without signed result and
   * reason {@link #ONE_TIME_KEY_SPENT} (or {@link #ONE_TIME_KEY_UNKNOWN}), nothing consumed.
   *
   * @throws org.ifpp.line.http.HttpCallException when the simulator's HTTP API failed
   * @throws ChipUnavailableException when the chip could not be reached (no card, removed, timeout,
   *     another chip in the reader)
   */
  LoadOutcome load(Eid eid, byte[] boundPackage, byte[] bindingCertificate, String bppEuiccOtpk);

  /** A load of a package that came without its key id. */
  default LoadOutcome load(Eid eid, byte[] boundPackage, byte[] bindingCertificate) {
    return load(eid, boundPackage, bindingCertificate, null);
  }

  /** The chip's pending notifications (SGP.22 RetrieveNotificationsList). */
  List<Notification> notifications(Eid eid);

  /** Removes a notification once its result reached the broker (RemoveNotificationFromList). */
  void removeNotification(Eid eid, long seqNumber);
}
