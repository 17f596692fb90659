package org.ifpp.euicc.chip;

import org.ifpp.crypto.ids.Eid;

/** No chip with this EID exists in the fleet. */
public class ChipNotFoundException extends RuntimeException {

  private final transient Eid eid;

  public ChipNotFoundException(Eid eid) {
    super("no chip with EID " + eid);
    this.eid = eid;
  }

  public Eid eid() {
    return eid;
  }
}
