package org.ifpp.crypto.euiccdata;

import java.util.Optional;
import java.util.OptionalInt;
import org.ifpp.crypto.ec.EcPublicKey;
import org.ifpp.crypto.ids.Eid;

/** The outcome of verifying one chip's eUICC data: accepted with its keys, or why not. */
public sealed interface EuiccDataVerification {

  /**
   * @param data the verified data; every one-time key in it is a binding target
   * @param euiccKey the eUICC certificate's key (verifies the chip's installation results)
   */
  record Accepted(EuiccData data, EcPublicKey euiccKey) implements EuiccDataVerification {}

  /**
   * @param reason the stable code
   * @param eid the chip's EID, if the record was readable
   * @param keyIndex the offending one-time key, for key-level reasons
   * @param detail a human-readable explanation (names, dates, EIDs, indexes only)
   */
  record Rejected(EuiccDataRejection reason, Optional<Eid> eid, OptionalInt keyIndex, String detail)
      implements EuiccDataVerification {}

  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
