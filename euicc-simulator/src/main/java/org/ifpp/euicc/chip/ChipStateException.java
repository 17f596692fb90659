package org.ifpp.euicc.chip;

import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/**
 * A lifecycle operation is not allowed in the chip's current state (for example enabling field
 * services while one-time keys remain, EUICCF04). Carries a stable code of the catalogue.
 */
public class ChipStateException extends DomainException {

  public ChipStateException(SimulatorError code, String message) {
    super(code, message);
  }
}
