package org.ifpp.euicc.chip;

import org.ifpp.crypto.ids.Eid;
import org.ifpp.euicc.SimulatorError;
import org.ifpp.web.DomainException;

/** No chip with this EID exists in the fleet. */
public class ChipNotFoundException extends DomainException {

  private final transient Eid eid;

  public ChipNotFoundException(Eid eid) {
    super(SimulatorError.CHIP_NOT_FOUND, "no chip with EID " + eid);
    this.eid = eid;
  }

  public Eid eid() {
    return eid;
  }
}
